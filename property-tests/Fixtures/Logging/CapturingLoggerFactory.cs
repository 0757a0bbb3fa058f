using System.Globalization;
using Microsoft.Extensions.Logging;

namespace StateMachineMqtt.PropertyTests.Fixtures.Logging;

/// <summary>
/// Keeps every log entry, formatted, for assertions — and, in the integration tests, to say what the client went through
/// when a wait gives up, since a bare cancellation names no cause.
/// </summary>
public sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly List<(LogLevel Level, string Message)> _entries = [];
    private readonly List<CapturedLogEvent> _events = [];
    private readonly List<string> _stamped = [];
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _start;

    /// <param name="time">The clock whose offsets <see cref="Transcript"/> prints; the system clock by default.</param>
    public CapturingLoggerFactory(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _start = _time.GetUtcNow();
    }

    /// <summary>A copy of the entries so far, in order.</summary>
    public IReadOnlyList<(LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>A copy of the entries so far, in order, with their event ids and structured values (for event-id checks).</summary>
    public IReadOnlyList<CapturedLogEvent> Events
    {
        get
        {
            lock (_entries)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>The entries so far, one per line, each with its offset from this factory's creation.</summary>
    public string Transcript()
    {
        lock (_entries)
        {
            return string.Join(Environment.NewLine, _stamped);
        }
    }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(this);

    /// <inheritdoc/>
    public void AddProvider(ILoggerProvider provider)
    {
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private void Add(LogLevel level, EventId eventId, string message, object? state)
    {
        string stamped = string.Create(CultureInfo.InvariantCulture, $"+{(_time.GetUtcNow() - _start).TotalMilliseconds,8:F0} ms {level,-11} {message}");
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (KeyValuePair<string, object?> pair in pairs)
            {
                values[pair.Key] = pair.Value;
            }
        }

        lock (_entries)
        {
            _entries.Add((level, message));
            _events.Add(new CapturedLogEvent(level, eventId, message, values));
            _stamped.Add(stamped);
        }
    }

    private sealed class Logger(CapturingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(logLevel, eventId, exception is null ? formatter(state, exception) : formatter(state, exception) + " — " + exception.Message, state);
    }
}
