using System.Diagnostics;
using StateMachineMqtt.Verification.ModelChecking;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>What one spin verification run printed.</summary>
/// <param name="Output">pan's report (and any spin / gcc output before it).</param>
/// <param name="Errors">pan's "errors:" count, or -1 when it never got that far.</param>
/// <param name="Elapsed">Wall time of the whole run (spin -a, gcc, pan).</param>
public sealed record SpinResult(string Output, int Errors, TimeSpan Elapsed);

/// <summary>Runs spin -a, gcc and pan on a Promela model in a temporary directory, which it deletes afterwards.</summary>
public static class SpinRunner
{
    /// <summary>Verifies <paramref name="model"/>: compiles pan.c with <paramref name="gccFlags"/> and runs pan with <paramref name="panFlags"/>.</summary>
    public static async Task<SpinResult> VerifyAsync(string model, string gccFlags, string panFlags, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string dir = Directory.CreateTempSubdirectory("smqtt-spin-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "model.pml"), model, cancellationToken);
            if (Environment.GetEnvironmentVariable("SMQTT_SPIN_KEEP") is { Length: > 0 } keep)
            {
                // To re-run spin and pan by hand on exactly what a test checked.
                Directory.CreateDirectory(keep);
                File.Copy(Path.Combine(dir, "model.pml"), Path.Combine(keep, $"model-{Guid.NewGuid():N}.pml"));
            }

            string log = await RunAsync(dir, "spin", "-a model.pml", cancellationToken);
            if (!File.Exists(Path.Combine(dir, "pan.c")))
            {
                return new SpinResult("spin -a failed:\n" + log, -1, clock.Elapsed);
            }

            log += await RunAsync(dir, "gcc", $"-w {gccFlags} -o pan pan.c", cancellationToken);
            if (!File.Exists(Path.Combine(dir, "pan")))
            {
                return new SpinResult("gcc failed:\n" + log, -1, clock.Elapsed);
            }

            string report = await RunAsync(dir, Path.Combine(dir, "pan"), panFlags, cancellationToken);
            if (report.Contains("pan: wrote model.pml.trail", StringComparison.Ordinal))
            {
                // The replay is long (every statement of every step); its end shows the failing step.
                string[] replay = (await RunAsync(dir, "spin", "-t -p -g -l model.pml", cancellationToken)).Split('\n');
                report += "\n--- counter-example (spin -t -p -g -l), last 60 lines ---\n" + string.Join('\n', replay[Math.Max(0, replay.Length - 60)..]);
            }

            return new SpinResult(log + report, ErrorCount(report), clock.Elapsed);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int ErrorCount(string report)
    {
        int at = report.IndexOf("errors: ", StringComparison.Ordinal);
        if (at < 0)
        {
            return -1;
        }

        string digits = new([.. report[(at + 8)..].TakeWhile(char.IsDigit)]);
        return int.TryParse(digits, out int errors) ? errors : -1;
    }

    private static async Task<string> RunAsync(string dir, string file, string arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return await stdout + await stderr;
    }
}
