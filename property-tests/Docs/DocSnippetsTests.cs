namespace StateMachineMqtt.PropertyTests.Docs;

/// <summary>Every C# sample in docs/ is a region of compiled code in Docs/Snippets/, shown as it is there.</summary>
public sealed class DocSnippetsTests
{
    public static TheoryData<string> Docs() => new(DocSnippets.Docs);

    [Theory]
    [MemberData(nameof(Docs))]
    public void Doc_shows_the_compiled_snippets(string doc)
    {
        IReadOnlyDictionary<string, string> snippets = DocSnippets.Load();
        MarkedBlocks.AssertCurrent(doc, text =>
        {
            var blocks = MarkedBlocks.Names(text, DocSnippets.Prefix).Select(marker =>
            {
                string name = marker[DocSnippets.Prefix.Length..];
                return snippets.TryGetValue(name, out string? code)
                    ? (marker, DocSnippets.Block(code))
                    : throw new InvalidOperationException($"{doc} shows snippet '{name}', which no '#region {name}' in property-tests/Docs/Snippets/ defines.");
            }).ToList();
            return MarkedBlocks.Apply(doc, text, blocks);
        }, "its C# samples differ from property-tests/Docs/Snippets/");
    }

    [Theory]
    [MemberData(nameof(Docs))]
    public void Every_csharp_sample_in_the_doc_is_a_snippet(string doc)
    {
        string text = File.ReadAllText(Path.Combine(SpecReadmeTests.RepositoryRoot(), doc)).ReplaceLineEndings("\n");

        Assert.False(
            DocSnippets.WithoutSnippets(text).Contains("```csharp", StringComparison.Ordinal),
            $"{doc} has a ```csharp block outside <!-- BEGIN snippet name --> markers: move the code into a '#region name' of property-tests/Docs/Snippets/ so it is compiled, and show it with the markers.");
    }

    [Fact]
    public void Every_snippet_is_shown_in_some_doc()
    {
        var shown = DocSnippets.Docs
            .SelectMany(doc => MarkedBlocks.Names(File.ReadAllText(Path.Combine(SpecReadmeTests.RepositoryRoot(), doc)), DocSnippets.Prefix))
            .Select(marker => marker[DocSnippets.Prefix.Length..])
            .ToHashSet(StringComparer.Ordinal);
        string[] unused = [.. DocSnippets.Load().Keys.Where(name => !shown.Contains(name))];

        Assert.NotEmpty(shown);
        Assert.True(unused.Length == 0, $"Snippet regions no doc shows (show them or delete them): {string.Join(", ", unused)}");
    }

    [Fact]
    public void Regions_are_dedented_and_must_be_closed()
    {
        const string Source = "class C\n{\n    #region a\n    int x;\n\n        int y;\n    #endregion\n}\n";

        var (name, code) = Assert.Single(DocSnippets.Regions("C.cs", Source));

        Assert.Equal("a", name);
        Assert.Equal("int x;\n\n    int y;\n", code);
        Assert.Throws<InvalidOperationException>(() => DocSnippets.Regions("C.cs", "#region a\nx\n").ToList());
        Assert.Throws<InvalidOperationException>(() => DocSnippets.Regions("C.cs", "#region a\n#region b\n").ToList());
    }

    [Fact]
    public void A_doc_sample_outside_the_markers_is_found()
    {
        const string Text = "<!-- BEGIN snippet a -->\n```csharp\nx\n```\n<!-- END snippet a -->\n```csharp\ny\n```\n";

        Assert.Contains("```csharp\ny", DocSnippets.WithoutSnippets(Text), StringComparison.Ordinal);
        Assert.DoesNotContain("```csharp\nx", DocSnippets.WithoutSnippets(Text), StringComparison.Ordinal);
    }
}
