using System.Diagnostics;

namespace StateMachineMqtt.PropertyTests.Resilience;

/// <summary>Runs a short system command (ip, iptables) and says what went wrong when it fails.</summary>
internal static class HostCommand
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <summary>Runs <paramref name="file"/> with <paramref name="arguments"/>; returns the exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> TryRunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{file}: {e.Message}");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(Limit);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                return (-1, $"{file} {string.Join(' ', arguments)} took over {Limit.TotalSeconds} s");
            }

            return (process.ExitCode, (await output) + (await error));
        }
    }

    /// <summary>Runs the command and throws, with its output, when it fails.</summary>
    public static async Task RunAsync(string file, params string[] arguments)
    {
        var (code, output) = await TryRunAsync(file, arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' failed ({code}): {output.Trim()}");
        }
    }
}
