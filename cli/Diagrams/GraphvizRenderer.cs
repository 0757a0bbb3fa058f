using System.Diagnostics;

namespace StateMachineMqtt.Cli.Diagrams;

/// <summary>Runs Graphviz's <c>dot -Tsvg</c>.</summary>
internal static class GraphvizRenderer
{
    /// <summary>Full path of <c>dot</c> on PATH, or null.</summary>
    public static string? FindDot()
    {
        string exe = OperatingSystem.IsWindows() ? "dot.exe" : "dot";
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, exe);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Renders DOT text to SVG; throws InvalidOperationException with dot's error output when it fails.</summary>
    public static async Task<string> RenderSvgAsync(string dotPath, string dot, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(dotPath, "-Tsvg")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dotPath}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardInput.WriteAsync(dot.AsMemory(), cancellationToken).ConfigureAwait(false);
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        string svg = await output.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dot -Tsvg failed (exit {process.ExitCode}): {await error.ConfigureAwait(false)}");
        }

        return svg;
    }
}
