using StateMachineMqtt.Cli.Commands;

namespace StateMachineMqtt.Cli.Demo;

/// <summary><c>smqtt demo</c>: placeholder until the demo lands.</summary>
internal static class DemoCommand
{
    /// <summary>Runs the demo.</summary>
    public static Task<int> RunAsync(CliArguments arguments, TextWriter stdout, CancellationToken cancellationToken) => Task.FromResult(0);
}
