using System.Text;
using StateMachineMqtt.Machines;
using Stateless.Graph;
using Stateless.Reflection;

namespace StateMachineMqtt.Cli.Diagrams;

/// <summary>
/// Renders the Stateless machines that MachineFactory builds from spec/ as Mermaid (always) and SVG (when Graphviz's
/// <c>dot</c> is on PATH), plus a README embedding the Mermaid text. Guards are never evaluated when exporting, so
/// they are bound to <c>_ => true</c>.
/// </summary>
internal static class DiagramWriter
{
    /// <summary>Folder under the repository root that holds the committed diagrams.</summary>
    public const string DefaultRelativeDirectory = "docs/diagrams";

    /// <summary>The five diagrams, generated fresh from the tables.</summary>
    public static IReadOnlyList<MachineDiagram> Generate()
    {
        var publishState = Spec.PublishTable.Initial;
        var receiptState = Spec.ReceiptTable.Initial;
        return
        [
            Diagram("connection", "Connection", MachineFactory.Connection(_ => true).Stateless.GetInfo()),
            Diagram("keepalive", "KeepAlive", MachineFactory.KeepAlive(_ => true).Stateless.GetInfo()),
            Diagram("publish", "Publish (outbound QoS 1 and 2, one per message)", MachineFactory.Publish(_ => true, () => publishState, s => publishState = s).Stateless.GetInfo()),
            Diagram("receipt", "Receipt (inbound QoS 2, one per message)", MachineFactory.Receipt(_ => true, () => receiptState, s => receiptState = s).Stateless.GetInfo()),
            Diagram("authentication", "Authentication (MQTT 5 enhanced authentication)", MachineFactory.Authentication(_ => true).Stateless.GetInfo()),
        ];
    }

    /// <summary>The README text embedding every diagram as a ```mermaid block.</summary>
    public static string Readme(IReadOnlyList<MachineDiagram> diagrams)
    {
        ArgumentNullException.ThrowIfNull(diagrams);
        var text = new StringBuilder();
        text.Append("# State diagrams\n\n")
            .Append("Generated from the transition tables in spec/ (via the Stateless machines core/Machines/MachineFactory builds).\n")
            .Append("Do not edit: run `dotnet run --project cli -- diagrams` after changing a table; a test fails while these are stale.\n")
            .Append("Edge labels read `Trigger [Guard / Effect]`.\n");
        foreach (var diagram in diagrams)
        {
            text.Append("\n## ").Append(diagram.Title).Append("\n\n")
                .Append("```mermaid\n").Append(diagram.Mermaid.TrimEnd('\n')).Append("\n```\n");
        }

        return text.ToString();
    }

    /// <summary>Writes name.mmd per machine, README.md, and name.svg per machine when dot is available. Returns the paths written.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(string directory, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        Directory.CreateDirectory(directory);
        var diagrams = Generate();
        var written = new List<string>();
        foreach (var diagram in diagrams)
        {
            written.Add(await WriteTextAsync(Path.Combine(directory, diagram.Name + ".mmd"), diagram.Mermaid, cancellationToken).ConfigureAwait(false));
        }

        written.Add(await WriteTextAsync(Path.Combine(directory, "README.md"), Readme(diagrams), cancellationToken).ConfigureAwait(false));

        if (GraphvizRenderer.FindDot() is { } dot)
        {
            foreach (var diagram in diagrams)
            {
                string svg = await GraphvizRenderer.RenderSvgAsync(dot, diagram.Dot, cancellationToken).ConfigureAwait(false);
                written.Add(await WriteTextAsync(Path.Combine(directory, diagram.Name + ".svg"), svg, cancellationToken).ConfigureAwait(false));
            }
        }
        else
        {
            await log.WriteLineAsync("smqtt: Graphviz 'dot' is not on PATH; wrote the Mermaid files only (install graphviz for SVGs).").ConfigureAwait(false);
        }

        return written;
    }

    /// <summary>The directory holding StateMachineMqtt.sln, walking up from <paramref name="start"/>; null when there is none.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StateMachineMqtt.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    private static MachineDiagram Diagram(string name, string title, StateMachineInfo info) =>
        new(name, title, Normalise(MermaidGraph.Format(info)), Normalise(UmlDotGraph.Format(info)));

    // Stateless joins lines with Environment.NewLine; committed files use \n on every OS.
    private static string Normalise(string text) => text.ReplaceLineEndings("\n").TrimEnd('\n') + "\n";

    private static async Task<string> WriteTextAsync(string path, string text, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken).ConfigureAwait(false);
        return path;
    }
}
