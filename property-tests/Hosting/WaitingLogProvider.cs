using Microsoft.Extensions.Logging;

namespace StateMachineMqtt.PropertyTests.Hosting;

/// <summary>Keeps every log entry a host writes, and lets a test wait for one that matches.</summary>
internal sealed class WaitingLogProvider : ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly List<LogEntry> _entries = [];
    private readonly List<(Func<LogEntry, bool> Match, TaskCompletionSource<LogEntry> Found)> _waits = [];

    /// <summary>The entries so far.</summary>
    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>The first entry, past or future, that <paramref name="match"/> accepts.</summary>
    public Task<LogEntry> WaitForAsync(Func<LogEntry, bool> match, CancellationToken cancellationToken)
    {
        var found = new TaskCompletionSource<LogEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_entries.FirstOrDefault(match) is { } already)
            {
                return Task.FromResult(already);
            }

            _waits.Add((match, found));
        }

        return found.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Every entry written so far, one a line, to say what happened when a wait gives up.</summary>
    public string Transcript() => string.Join(Environment.NewLine, Entries.Select(e => $"{e.Level} {e.Category}: {e.Message}"));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(LogEntry entry)
    {
        lock (_gate)
        {
            _entries.Add(entry);
            foreach ((Func<LogEntry, bool> match, TaskCompletionSource<LogEntry> found) in _waits)
            {
                if (match(entry))
                {
                    found.TrySetResult(entry);
                }
            }
        }
    }

    private sealed class Logger(WaitingLogProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(new LogEntry(logLevel, category, formatter(state, exception), exception));
    }
}

/// <summary>One log entry.</summary>
internal sealed record LogEntry(LogLevel Level, string Category, string Message, Exception? Exception);
