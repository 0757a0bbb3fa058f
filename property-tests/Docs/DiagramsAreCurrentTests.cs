using StateMachineMqtt.Cli.Diagrams;
using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Docs;

public sealed class DiagramsAreCurrentTests
{
    private const string Fix = "run `dotnet run --project cli -- diagrams`";

    internal static string DiagramsDirectory()
    {
        string root = DiagramWriter.FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("StateMachineMqtt.sln not found above the test binaries.");
        return Path.Combine(root, DiagramWriter.DefaultRelativeDirectory);
    }

    public static TheoryData<string> Machines() => new(DiagramWriter.Generate().Select(d => d.Name));

    [Theory]
    [MemberData(nameof(Machines))]
    public void Committed_mermaid_matches_the_tables(string name)
    {
        var fresh = DiagramWriter.Generate().Single(d => d.Name == name);
        string path = Path.Combine(DiagramsDirectory(), name + ".mmd");
        Assert.True(File.Exists(path), $"{path} is missing: {Fix}.");
        string committed = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.True(committed == fresh.Mermaid, $"{path} differs from the spec tables: {Fix}.");
    }

    [Fact]
    public void Committed_readme_embeds_the_current_diagrams()
    {
        string path = Path.Combine(DiagramsDirectory(), "README.md");
        Assert.True(File.Exists(path), $"{path} is missing: {Fix}.");
        string committed = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.True(committed == DiagramWriter.Readme(DiagramWriter.Generate()), $"{path} differs from the spec tables: {Fix}.");
    }

    [Fact]
    public void Every_table_row_is_an_edge()
    {
        // The diagrams must show the whole table: one Mermaid edge line per row.
        var diagrams = DiagramWriter.Generate().ToDictionary(d => d.Name);
        Assert.Equal(StateMachineMqtt.Machines.SpecTables.Connection().Length, Edges(diagrams["connection"].Mermaid));
        Assert.Equal(StateMachineMqtt.Machines.SpecTables.KeepAlive().Length, Edges(diagrams["keepalive"].Mermaid));
        Assert.Equal(StateMachineMqtt.Machines.SpecTables.Publish().Length, Edges(diagrams["publish"].Mermaid));
        Assert.Equal(StateMachineMqtt.Machines.SpecTables.Receipt().Length, Edges(diagrams["receipt"].Mermaid));
        Assert.Equal(StateMachineMqtt.Machines.SpecTables.Authentication().Length, Edges(diagrams["authentication"].Mermaid));
    }

    private static int Edges(string mermaid) =>
        mermaid.Split('\n').Count(l => l.Contains(" --> ", StringComparison.Ordinal) && !l.TrimStart().StartsWith("[*]", StringComparison.Ordinal));
}

/// <summary>The committed SVGs (rendered by Graphviz) show what a fresh render of the tables shows.</summary>
public sealed class SvgDiagramsAreCurrentTests
{
    public static TheoryData<string> Machines() => DiagramsAreCurrentTests.Machines();

    [RequiresToolsTheory(Tool.Graphviz)]
    [MemberData(nameof(Machines))]
    public async Task Committed_svg_shows_the_states_and_edges_of_a_fresh_render(string name)
    {
        var diagram = DiagramWriter.Generate().Single(d => d.Name == name);
        string dot = GraphvizRenderer.FindDot() ?? throw new InvalidOperationException("dot is not on PATH");
        string fresh = await GraphvizRenderer.RenderSvgAsync(dot, diagram.Dot, CancellationToken.None);
        string path = Path.Combine(DiagramsAreCurrentTests.DiagramsDirectory(), name + ".svg");
        Assert.True(File.Exists(path), $"{path} is missing: run `dotnet run --project cli -- diagrams` with graphviz installed.");

        // Layout coordinates differ between Graphviz versions; the titles (states, edges) and the labels do not.
        var expected = Texts(fresh);
        Assert.Contains(expected, t => t.Contains("&gt;", StringComparison.Ordinal)); // not vacuous: edges were rendered
        Assert.True(expected.SequenceEqual(Texts(File.ReadAllText(path))), $"{path} differs from a fresh render of the tables: run `dotnet run --project cli -- diagrams`.");
    }

    private static List<string> Texts(string svg) =>
        [.. System.Text.RegularExpressions.Regex.Matches(svg, "<(title|text)[^>]*>([^<]*)</(title|text)>")
            .Select(m => m.Groups[2].Value).Order(StringComparer.Ordinal)];
}
