using StateMachineMqtt.Cli.Commands;

namespace StateMachineMqtt.Cli.Demo;

/// <summary><c>smqtt demo [--broker HOST:PORT]</c>: exit 0 when nothing was lost, 1 otherwise.</summary>
internal static class DemoCommand
{
    /// <summary>Runs the demo with the default timings.</summary>
    public static async Task<int> RunAsync(CliArguments arguments, TextWriter stdout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        await stdout.WriteLineAsync("smqtt demo: a QoS 1 publisher behind a fault-injecting proxy; every acknowledged message must reach the subscriber.").ConfigureAwait(false);
        try
        {
            var summary = await DemoRunner.RunAsync(new DemoOptions { Broker = arguments.Broker }, stdout, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            return summary.ExitCode;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await stdout.WriteLineAsync("smqtt demo: could not connect to the broker in time; is it running?").ConfigureAwait(false);
            return 1;
        }
    }
}
