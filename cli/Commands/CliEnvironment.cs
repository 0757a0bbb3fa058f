namespace StateMachineMqtt.Cli.Commands;

/// <summary>
/// What a command needs to know about where it runs, passed in so tests can choose: the clock (for --repeat-delay and
/// -W) and whether stderr is a terminal (a live progress line only makes sense on one).
/// </summary>
/// <param name="Time">The clock of the command's own waits (the client keeps its own).</param>
/// <param name="StderrIsTerminal">True when stderr is a terminal: long runs then draw a progress line on it.</param>
internal sealed record CliEnvironment(TimeProvider Time, bool StderrIsTerminal)
{
    /// <summary>For writers that are not the console (tests, embedding): the system clock, and no terminal.</summary>
    public static CliEnvironment Captured { get; } = new(TimeProvider.System, StderrIsTerminal: false);

    /// <summary>The real console: a terminal unless stderr is redirected to a file or pipe.</summary>
    public static CliEnvironment FromConsole() => new(TimeProvider.System, StderrIsTerminal: !Console.IsErrorRedirected);
}
