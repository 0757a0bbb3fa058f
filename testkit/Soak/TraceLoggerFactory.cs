using Microsoft.Extensions.Logging;

namespace StateMachineMqtt.TestKit.Soak;

/// <summary>Hands a client's warnings and errors (with their exceptions) to a run's trace, so a failed run says what broke.</summary>
internal sealed class TraceLoggerFactory(string name, Action<string> trace) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new Logger(name, trace);

    public void AddProvider(ILoggerProvider provider)
    {
        // one sink only: the trace
    }

    public void Dispose()
    {
        // nothing held
    }

    private sealed class Logger(string name, Action<string> trace) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                trace($"{name} {logLevel}: {formatter(state, exception)}{(exception is null ? "" : $" -- {exception}")}");
            }
        }
    }
}
