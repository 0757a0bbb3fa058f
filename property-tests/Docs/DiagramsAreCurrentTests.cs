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

    /// <summary>Every Graphviz view of every machine, as (machine, file stem): "connection" and "connection.readable", ...</summary>
    public static TheoryData<string, string> Views()
    {
        var views = new TheoryData<string, string>();
        foreach (var diagram in DiagramWriter.Generate())
        {
            foreach (var (stem, _) in diagram.Views)
            {
                views.Add(diagram.Name, stem);
            }
        }

        return views;
    }

    internal static string FreshDot(string name, string stem) =>
        DiagramWriter.Generate().Single(d => d.Name == name).Views.Single(v => v.Stem == stem).Dot;

    [Theory]
    [MemberData(nameof(Views))]
    public void Committed_dot_matches_the_tables(string name, string stem)
    {
        string path = Path.Combine(DiagramsDirectory(), stem + ".dot");
        Assert.True(File.Exists(path), $"{path} is missing: {Fix}.");
        string committed = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.True(committed == FreshDot(name, stem), $"{path} differs from the spec tables: {Fix}.");
    }

    [Theory]
    [MemberData(nameof(Views))]
    public void Committed_png_was_rendered_from_the_current_dot(string name, string stem)
    {
        // PNG bytes from dot are the same run to run on one machine but not across Graphviz, cairo and font versions, so a
        // fresh render cannot be compared byte for byte. The writer stamps each PNG with the SHA-256 of its DOT; compare that.
        string path = Path.Combine(DiagramsDirectory(), stem + ".png");
        Assert.True(File.Exists(path), $"{path} is missing: {Fix} with graphviz installed.");
        string? stamp = PngSourceStamp.Read(File.ReadAllBytes(path));
        Assert.True(stamp is not null, $"{path} carries no {PngSourceStamp.Keyword} stamp: {Fix} with graphviz installed.");
        Assert.True(stamp == PngSourceStamp.Hash(FreshDot(name, stem)), $"{path} was rendered from an older table: {Fix} with graphviz installed.");
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
    public static TheoryData<string, string> Views() => DiagramsAreCurrentTests.Views();

    [RequiresToolsTheory(Tool.Graphviz)]
    [MemberData(nameof(Views))]
    public async Task Committed_svg_shows_the_states_and_edges_of_a_fresh_render(string name, string stem)
    {
        string dot = GraphvizRenderer.FindDot() ?? throw new InvalidOperationException("dot is not on PATH");
        string fresh = await GraphvizRenderer.RenderSvgAsync(dot, DiagramsAreCurrentTests.FreshDot(name, stem), CancellationToken.None);
        string path = Path.Combine(DiagramsAreCurrentTests.DiagramsDirectory(), stem + ".svg");
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
