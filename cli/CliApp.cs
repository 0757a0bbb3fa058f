using System.Runtime.InteropServices;
using StateMachineMqtt.Cli.Bench;
using StateMachineMqtt.Cli.Chaos;
using StateMachineMqtt.Cli.Commands;
using StateMachineMqtt.Cli.Demo;
using StateMachineMqtt.Cli.Diagrams;

namespace StateMachineMqtt.Cli;

/// <summary>Parses the command line and runs the command; maps errors to exit codes (1 failure, 2 bad command line).</summary>
internal static class CliApp
{
    /// <summary>Runs <c>smqtt</c> with <paramref name="args"/>; Ctrl+C cancels the command.</summary>
    public static Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr) =>
        RunAsync(args, stdin, stdout, stderr, CliEnvironment.Captured, CancellationToken.None);

    /// <summary>Runs <c>smqtt</c> with <paramref name="args"/>; Ctrl+C, or <paramref name="cancellationToken"/>, stops the command as Ctrl+C does.</summary>
    public static Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken) =>
        RunAsync(args, stdin, stdout, stderr, CliEnvironment.Captured, cancellationToken);

    /// <summary>
    /// Runs <c>smqtt</c> in <paramref name="environment"/> (the clock of its own waits, whether stderr is a terminal);
    /// Ctrl+C, or <paramref name="cancellationToken"/>, stops the command as Ctrl+C does.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, CliEnvironment environment, CancellationToken cancellationToken)
    {
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            e.Cancel = true; // let the command disconnect cleanly
            interrupt.Cancel();
        };
        Console.CancelKeyPress += onCtrlC;
        // SIGTERM (kill, a service manager) ends pub and sub as Ctrl+C does: disconnect, flush, then the command's exit code.
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            interrupt.Cancel();
        });
        // SIGINT too, explicitly: a shell starting smqtt in the background from a script sets SIGINT to ignored, and .NET
        // leaves an inherited "ignored" alone for Ctrl+C; mosquitto_sub still stops on it, so smqtt should as well.
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            interrupt.Cancel();
        });
        try
        {
            var arguments = ArgumentParser.Parse(args);
            return arguments.Command switch
            {
                CliCommand.Help => await PrintUsageAsync(stdout).ConfigureAwait(false),
                CliCommand.Pub => await PubCommand.RunAsync(arguments, stdin, stdout, stderr, environment, interrupt.Token).ConfigureAwait(false),
                CliCommand.Sub => await SubCommand.RunAsync(arguments, stdout, stderr, environment, interrupt.Token).ConfigureAwait(false),
                CliCommand.Diagrams => await RunDiagramsAsync(arguments, stdout, stderr, interrupt.Token).ConfigureAwait(false),
                CliCommand.Demo => await DemoCommand.RunAsync(arguments, stdout, interrupt.Token).ConfigureAwait(false),
                CliCommand.Chaos => await ChaosCommand.RunAsync(arguments, stdout, stderr, environment, interrupt.Token).ConfigureAwait(false),
                CliCommand.Bench => await BenchCommand.RunAsync(arguments, stdout, interrupt.Token).ConfigureAwait(false),
                _ => ExitCodes.Usage,
            };
        }
        catch (UsageException e)
        {
            await stderr.WriteLineAsync($"smqtt: {e.Message}").ConfigureAwait(false);
            await stderr.WriteLineAsync().ConfigureAwait(false);
            await stderr.WriteLineAsync(Usage.Text).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException)
        {
            // The client refused what was asked (e.g. a malformed topic filter, a message over the maximum packet size): the command line's fault.
            await stderr.WriteLineAsync($"smqtt: {(e is ArgumentException a ? UsageException.Plain(a) : e.Message)}").ConfigureAwait(false);
            await stderr.WriteLineAsync("(smqtt --help lists the options)").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (MqttConnectException e)
        {
            // First the cause in mosquitto's words ("Error: Connection refused"), then what the client tried.
            string cause = e.InnerException is System.Net.Sockets.SocketException socket ? socket.Message : "cannot connect";
            await stderr.WriteLineAsync($"smqtt: Error: {cause}").ConfigureAwait(false);
            await stderr.WriteLineAsync($"smqtt: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is MqttPublishException or MqttSubscribeException or MqttUnsubscribeException)
        {
            // The broker refused a message, a subscription or an unsubscription (MQTT 5: e.g. 0x87 Not authorized): say so,
            // as mosquitto_pub / mosquitto_sub print the reason.
            await stderr.WriteLineAsync($"smqtt: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException or TimeoutException)
        {
            await stderr.WriteLineAsync($"smqtt: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Last resort: one line instead of a stack trace, and a failing exit code.
            await stderr.WriteLineAsync($"smqtt: unexpected {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
        }
    }

    private static async Task<int> PrintUsageAsync(TextWriter stdout)
    {
        await stdout.WriteLineAsync(Usage.Text).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static async Task<int> RunDiagramsAsync(CliArguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        string? directory = arguments.OutDirectory;
        if (directory is null)
        {
            string root = DiagramWriter.FindRepositoryRoot(Environment.CurrentDirectory)
                ?? throw new UsageException("Not inside the StateMachineMqtt repository (no StateMachineMqtt.sln above the current directory): pass --out DIR.");
            directory = Path.Combine(root, DiagramWriter.DefaultRelativeDirectory);
        }

        foreach (string path in await DiagramWriter.WriteAsync(directory, stderr, cancellationToken).ConfigureAwait(false))
        {
            await stdout.WriteLineAsync($"wrote {Path.GetRelativePath(Environment.CurrentDirectory, path)}").ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }
}
