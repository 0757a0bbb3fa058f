using System.Diagnostics;
using System.Text;

namespace StateMachineMqtt.Cli.Diagrams;

/// <summary>Runs Graphviz's <c>dot</c> to render DOT text as SVG or PNG.</summary>
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
    public static async Task<string> RenderSvgAsync(string dotPath, string dot, CancellationToken cancellationToken) =>
        Encoding.UTF8.GetString(await RenderAsync(dotPath, dot, "svg", cancellationToken).ConfigureAwait(false));

    /// <summary>Renders DOT text to PNG; throws InvalidOperationException with dot's error output when it fails.</summary>
    public static Task<byte[]> RenderPngAsync(string dotPath, string dot, CancellationToken cancellationToken) =>
        RenderAsync(dotPath, dot, "png", cancellationToken);

    private static async Task<byte[]> RenderAsync(string dotPath, string dot, string format, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(dotPath, "-T" + format)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dotPath}.");
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardInput.WriteAsync(dot.AsMemory(), cancellationToken).ConfigureAwait(false);
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await copy.ConfigureAwait(false);
        string errors = await error.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dot -T{format} failed (exit {process.ExitCode}): {errors}");
        }

        // dot may report a malformed HTML-like label and still draw a plain one: a generated diagram must have none. (Other
        // complaints, such as fontconfig's about a machine's fonts, are the machine's business, not the diagram's.)
        if (errors.Contains("syntax error", StringComparison.OrdinalIgnoreCase) || errors.Contains("in label of", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"dot -T{format} complained about the generated DOT: {errors}");
        }

        return output.ToArray();
    }
}
