using System.Diagnostics;
using System.Globalization;
using System.Text;
using StateMachineMqtt.Cli;
using StateMachineMqtt.Cli.Commands;
using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Cli;

/// <summary>What a command-line client run printed and how it exited.</summary>
internal sealed record ToolRun(int Code, string Out, string Err);

/// <summary>
/// Runs mosquitto_pub / mosquitto_sub and smqtt with the same arguments, for the side-by-side tests: smqtt in-process
/// (<see cref="RunSmqttAsync"/>) or as a real process (<see cref="StartSmqtt"/>) where a test must SIGKILL it.
/// </summary>
internal static class ClientProcesses
{
    public const string MosquittoPub = ToolRequirements.MosquittoPubPath;
    public const string MosquittoSub = ToolRequirements.MosquittoSubPath;

    /// <summary>-h and -p of <paramref name="broker"/>.</summary>
    public static string[] At(MosquittoBroker broker) => ["-h", "127.0.0.1", "-p", broker.Port.ToString(CultureInfo.InvariantCulture)];

    /// <summary>Starts <paramref name="file"/> with its standard streams redirected; <paramref name="stdin"/> (or nothing) is its input.</summary>
    public static Process Start(string file, string[] arguments, string? stdin = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin); // small inputs only: the pipe's buffer holds them before the process reads
        }

        process.StandardInput.Close();
        return process;
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    /// <summary>
    /// smqtt.dll in cli/'s own output folder. Not the copy beside the tests: their folder takes Microsoft.Extensions.* from
    /// the ASP.NET Core shared framework (for the WebSocket broker), so it holds no copy of them, and smqtt's runtimeconfig
    /// names only the base framework.
    /// </summary>
    public static string SmqttDll { get; } = Path.Combine(
        StateMachineMqtt.PropertyTests.Docs.SpecReadmeTests.RepositoryRoot(), "cli", "bin", Configuration, "net10.0", "smqtt.dll");

    /// <summary>smqtt as a process of its own (dotnet smqtt.dll).</summary>
    public static Process StartSmqtt(string[] arguments) => Start("dotnet", [SmqttDll, .. arguments]);

    /// <summary>Runs <paramref name="file"/> to its end.</summary>
    public static Task<ToolRun> RunToolAsync(string file, string[] arguments, string? stdin, CancellationToken cancellationToken) =>
        WaitAsync(Start(file, arguments, stdin), cancellationToken);

    /// <summary>Reads <paramref name="process"/>'s output until it exits (killing it if cancelled), and disposes of it.</summary>
    public static async Task<ToolRun> WaitAsync(Process process, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(process);
        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                throw;
            }

            return new ToolRun(process.ExitCode, await stdout, await stderr);
        }
    }

    /// <summary>smqtt in-process, through <see cref="CliApp.RunAsync(string[], TextReader, TextWriter, TextWriter, CliEnvironment, CancellationToken)"/>.</summary>
    public static async Task<ToolRun> RunSmqttAsync(string[] arguments, string? stdin, CancellationToken cancellationToken)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var input = new StringReader(stdin ?? "");
        int code = await CliApp.RunAsync(arguments, input, stdout, stderr, CliEnvironment.Captured, cancellationToken).WaitAsync(cancellationToken);
        return new ToolRun(code, stdout.ToString(), stderr.ToString());
    }
}
