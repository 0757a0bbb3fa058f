using Xunit;

namespace StateMachineMqtt.PropertyTests.Docs;

/// <summary>spec/README.md's row tables are generated from the spec tables; this fails when they are stale.</summary>
public sealed class SpecReadmeTests
{
    [Fact]
    public void Readme_tables_match_the_spec_tables()
    {
        var blocks = SpecReadmeTables.Blocks(SpecXmlDocs.Load());
        MarkedBlocks.AssertCurrent("spec/README.md", text => SpecReadmeTables.Apply(text, blocks), "its generated tables differ from spec/");
    }

    [Fact]
    public void Apply_replaces_only_the_text_between_markers()
    {
        const string Readme = "intro\n<!-- BEGIN A -->\nold\n<!-- END A -->\noutro\n";

        string result = SpecReadmeTables.Apply(Readme, [("A", "new\n")]);

        Assert.Equal("intro\n<!-- BEGIN A -->\nnew\n<!-- END A -->\noutro\n", result);
    }

    [Fact]
    public void Apply_says_which_marker_is_missing()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SpecReadmeTables.Apply("no markers", [("B", "x")]));

        Assert.Contains("<!-- BEGIN B -->", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_generated_block_lists_every_row()
    {
        var blocks = SpecReadmeTables.Blocks(SpecXmlDocs.Load()).ToDictionary(b => b.Name, b => b.Markdown);

        Assert.Equal(Machines.SpecTables.Connection().Length, RowLines(blocks["ConnectionTable"]));
        Assert.Equal(Machines.SpecTables.KeepAlive().Length, RowLines(blocks["KeepAliveTable"]));
        Assert.Equal(Machines.SpecTables.Publish().Length, RowLines(blocks["PublishTable"]));
    }

    // Row lines start with "| <index> |"; legend lines start with a name.
    private static int RowLines(string markdown) =>
        markdown.Split('\n').Count(line => line.Length > 2 && line[0] == '|' && char.IsAsciiDigit(line[2]));

    /// <summary>The folder holding StateMachineMqtt.sln, found upwards from the test binaries.</summary>
    internal static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StateMachineMqtt.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No StateMachineMqtt.sln above {AppContext.BaseDirectory}: run the tests from the repository.");
    }
}
