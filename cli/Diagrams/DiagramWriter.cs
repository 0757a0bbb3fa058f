using System.Text;
using StateMachineMqtt.Cli.Diagrams.Readable;
using StateMachineMqtt.Machines;
using Stateless.Graph;
using Stateless.Reflection;

namespace StateMachineMqtt.Cli.Diagrams;

/// <summary>
/// Renders the Stateless machines that MachineFactory builds from spec/ two ways: the full diagram (every row an edge) as
/// Mermaid and DOT, and the readable view (<see cref="ReadableViewBuilder"/>) as DOT; both as SVG and PNG when Graphviz's
/// <c>dot</c> is on PATH; plus a README showing the readable views first. Guards are never evaluated when exporting, so
/// they are bound to <c>_ => true</c>.
/// </summary>
internal static class DiagramWriter
{
    /// <summary>Folder under the repository root that holds the committed diagrams.</summary>
    public const string DefaultRelativeDirectory = "docs/diagrams";

    /// <summary>The five diagrams, generated fresh from the tables.</summary>
    public static IReadOnlyList<MachineDiagram> Generate() =>
        [.. Machines().Select(m => Diagram(m.Name, m.Title, m.Info))];

    /// <summary>The five machines as Stateless describes them, with each diagram's file stem and heading.</summary>
    public static IReadOnlyList<(string Name, string Title, StateMachineInfo Info)> Machines()
    {
        var publishState = Spec.PublishTable.Initial;
        var receiptState = Spec.ReceiptTable.Initial;
        return
        [
            ("connection", "Connection", MachineFactory.Connection(_ => true).Stateless.GetInfo()),
            ("keepalive", "KeepAlive", MachineFactory.KeepAlive(_ => true).Stateless.GetInfo()),
            ("publish", "Publish (outbound QoS 1 and 2, one per message)", MachineFactory.Publish(_ => true, () => publishState, s => publishState = s).Stateless.GetInfo()),
            ("receipt", "Receipt (inbound QoS 2, one per message)", MachineFactory.Receipt(_ => true, () => receiptState, s => receiptState = s).Stateless.GetInfo()),
            ("authentication", "Authentication (MQTT 5 enhanced authentication)", MachineFactory.Authentication(_ => true).Stateless.GetInfo()),
        ];
    }

    /// <summary>The README text: per machine, the readable view first, then links to the full diagram and its Mermaid text.</summary>
    public static string Readme(IReadOnlyList<MachineDiagram> diagrams)
    {
        ArgumentNullException.ThrowIfNull(diagrams);
        var text = new StringBuilder();
        text.Append("# State diagrams\n\n")
            .Append("Generated from the transition tables in spec/ (via the Stateless machines core/Machines/MachineFactory builds).\n")
            .Append("Do not edit: run `dotnet run --project cli -- diagrams` after changing a table; a test fails while these are stale.\n\n")
            .Append("Each machine has two views of the same table:\n")
            .Append("- the **readable view** (`NAME.readable.svg`, `.png`, `.dot`), drawn first below. Read it so:\n")
            .Append("  - left to right along the main path (bold), the longest run of non-failure transitions from the initial state;\n")
            .Append("  - dashed red edges are failures: a trigger, guard, effect or destination whose name contains ")
            .Append(string.Join(", ", FailureRule.Words)).Append(";\n")
            .Append("  - all transitions between two states share one edge (one for failures, one for the rest): `TriggerA, TriggerB [Guard] / Effect`;\n")
            .Append("  - \"stays on\" in a state's box lists its self-loops (the state does not change);\n")
            .Append("  - the note lists transitions that at least ").Append(ReadableViewBuilder.MinCommonSources)
            .Append(" states share, missing from at most ").Append(ReadableViewBuilder.MaxCommonExceptions)
            .Append(" (named) states that are not final; they are not drawn again;\n")
            .Append("  - a grey box with a thick border is final: no transition leaves it.\n")
            .Append("- the **full diagram** (`NAME.svg`, `.png`, `.dot`, `.mmd`): one edge per table row, edge labels `Trigger [Guard / Effect]`.\n");
        foreach (var diagram in diagrams)
        {
            text.Append("\n## ").Append(diagram.Title).Append("\n\n")
                .Append("![").Append(diagram.Title).Append(", readable view](").Append(diagram.Name).Append(".readable.svg)\n\n")
                .Append("Readable view: [SVG](").Append(diagram.Name).Append(".readable.svg) · [PNG](").Append(diagram.Name).Append(".readable.png) · [DOT](")
                .Append(diagram.Name).Append(".readable.dot). ")
                .Append("Full diagram, one edge per row: [SVG](").Append(diagram.Name).Append(".svg) · [PNG](").Append(diagram.Name).Append(".png) · [DOT](")
                .Append(diagram.Name).Append(".dot) · [Mermaid](").Append(diagram.Name).Append(".mmd).\n\n")
                .Append("<details><summary>Full diagram (Mermaid)</summary>\n\n")
                .Append("```mermaid\n").Append(diagram.Mermaid.TrimEnd('\n')).Append("\n```\n\n</details>\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// Writes name.mmd, name.dot and name.readable.dot per machine and README.md; and, when dot is available, an SVG and a
    /// PNG of each view. Returns the paths written. A PNG already stamped with its DOT's hash is left alone: PNG bytes vary
    /// between Graphviz builds, so re-rendering one whose source has not changed would only churn the repository.
    /// </summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(string directory, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        Directory.CreateDirectory(directory);
        var diagrams = Generate();
        var written = new List<string>();
        foreach (var diagram in diagrams)
        {
            written.Add(await WriteTextAsync(Path.Combine(directory, diagram.Name + ".mmd"), diagram.Mermaid, cancellationToken).ConfigureAwait(false));
            foreach (var (stem, dot) in diagram.Views)
            {
                written.Add(await WriteTextAsync(Path.Combine(directory, stem + ".dot"), dot, cancellationToken).ConfigureAwait(false));
            }
        }

        written.Add(await WriteTextAsync(Path.Combine(directory, "README.md"), Readme(diagrams), cancellationToken).ConfigureAwait(false));

        if (GraphvizRenderer.FindDot() is { } dotPath)
        {
            // Rasterising the PNGs is most of the time; the views are independent, so they render side by side.
            var rendered = await Task.WhenAll(diagrams.SelectMany(d => d.Views).Select(v => RenderAsync(directory, dotPath, v.Stem, v.Dot, cancellationToken))).ConfigureAwait(false);
            written.AddRange(rendered.SelectMany(paths => paths));
        }
        else
        {
            await log.WriteLineAsync("smqtt: Graphviz 'dot' is not on PATH; wrote the Mermaid and DOT files only (install graphviz for SVGs and PNGs).").ConfigureAwait(false);
        }

        return written;
    }

    private static async Task<IReadOnlyList<string>> RenderAsync(string directory, string dotPath, string stem, string dot, CancellationToken cancellationToken)
    {
        var written = new List<string>();
        string svg = await GraphvizRenderer.RenderSvgAsync(dotPath, dot, cancellationToken).ConfigureAwait(false);
        written.Add(await WriteTextAsync(Path.Combine(directory, stem + ".svg"), svg, cancellationToken).ConfigureAwait(false));
        string pngPath = Path.Combine(directory, stem + ".png");
        if (File.Exists(pngPath) && PngSourceStamp.Read(await File.ReadAllBytesAsync(pngPath, cancellationToken).ConfigureAwait(false)) == PngSourceStamp.Hash(dot))
        {
            return written;
        }

        byte[] png = PngSourceStamp.Stamp(await GraphvizRenderer.RenderPngAsync(dotPath, dot, cancellationToken).ConfigureAwait(false), dot);
        await File.WriteAllBytesAsync(pngPath, png, cancellationToken).ConfigureAwait(false);
        written.Add(pngPath);
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
        new(name, title, Normalise(MermaidGraph.Format(info)), Normalise(UmlDotGraph.Format(info)), ReadableDotWriter.Write(ReadableViewBuilder.Build(info), ShortTitle(title)));

    // "Publish (outbound QoS 1 and 2, one per message)" -> "Publish": the drawing's own title stays short.
    private static string ShortTitle(string title) => title.Split(" (", 2)[0];

    // Stateless joins lines with Environment.NewLine; committed files use \n on every OS.
    private static string Normalise(string text) => text.ReplaceLineEndings("\n").TrimEnd('\n') + "\n";

    private static async Task<string> WriteTextAsync(string path, string text, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken).ConfigureAwait(false);
        return path;
    }
}
