using StateMachineMqtt.Cli.Diagrams;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Docs;

public sealed class DiagramsAreCurrentTests
{
    private const string Fix = "run `dotnet run --project cli -- diagrams`";

    private static string DiagramsDirectory()
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
    }

    private static int Edges(string mermaid) =>
        mermaid.Split('\n').Count(l => l.Contains(" --> ", StringComparison.Ordinal) && !l.TrimStart().StartsWith("[*]", StringComparison.Ordinal));
}
