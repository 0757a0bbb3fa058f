namespace StateMachineMqtt.PropertyTests.Docs;

/// <summary>
/// The C# samples of docs/ are regions of compiled files in property-tests/Docs/Snippets/ (<c>#region name</c> …
/// <c>#endregion</c>); a doc shows one between <c>&lt;!-- BEGIN snippet name --&gt;</c> and <c>&lt;!-- END snippet name --&gt;</c>.
/// So a sample that stops compiling fails the build, and one that changes makes the doc stale.
/// </summary>
internal static class DocSnippets
{
    /// <summary>The marker prefix of a snippet block.</summary>
    public const string Prefix = "snippet ";

    /// <summary>The docs whose C# samples must all be snippets.</summary>
    public static IReadOnlyList<string> Docs { get; } =
    [
        "docs/getting-started.md",
        "docs/resilience-model.md",
        "docs/configuration.md",
        "docs/migrating-from-mqttnet.md",
        "docs/migrating-from-mqtt-as.md",
    ];

    /// <summary>Every region of every file in property-tests/Docs/Snippets/, by name, dedented, each line ending in "\n".</summary>
    public static IReadOnlyDictionary<string, string> Load()
    {
        string folder = Path.Combine(SpecReadmeTests.RepositoryRoot(), "property-tests", "Docs", "Snippets");
        var regions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Directory.GetFiles(folder, "*.cs").Order(StringComparer.Ordinal))
        {
            foreach ((string name, string code) in Regions(Path.GetFileName(file), File.ReadAllText(file)))
            {
                if (!regions.TryAdd(name, code))
                {
                    throw new InvalidOperationException($"Snippet region '{name}' is defined twice (again in {file}): give each a unique name.");
                }
            }
        }

        return regions;
    }

    /// <summary>The regions of one source text: lines between <c>#region name</c> and <c>#endregion</c>, not nested.</summary>
    public static IEnumerable<(string Name, string Code)> Regions(string file, string source)
    {
        string[] lines = source.ReplaceLineEndings("\n").Split('\n');
        string? name = null;
        var body = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            string trimmed = lines[i].Trim();
            if (trimmed.StartsWith("#region", StringComparison.Ordinal))
            {
                if (name is not null)
                {
                    throw new InvalidOperationException($"{file}:{i + 1}: region '{name}' is still open; snippet regions do not nest.");
                }

                name = trimmed["#region".Length..].Trim();
                if (name.Length == 0)
                {
                    throw new InvalidOperationException($"{file}:{i + 1}: a snippet region needs a name, e.g. '#region getting-started-connect'.");
                }

                body.Clear();
            }
            else if (trimmed.StartsWith("#endregion", StringComparison.Ordinal))
            {
                if (name is null)
                {
                    throw new InvalidOperationException($"{file}:{i + 1}: #endregion with no #region.");
                }

                yield return (name, Dedent(body));
                name = null;
            }
            else if (name is not null)
            {
                body.Add(lines[i]);
            }
        }

        if (name is not null)
        {
            throw new InvalidOperationException($"{file}: region '{name}' has no #endregion.");
        }
    }

    /// <summary>The Markdown block of one snippet: a csharp fence around its code.</summary>
    public static string Block(string code) => "```csharp\n" + code + "```\n";

    /// <summary>The doc's text with every snippet block's content removed, to find C# samples that are not snippets.</summary>
    public static string WithoutSnippets(string text)
    {
        foreach (string name in MarkedBlocks.Names(text, Prefix))
        {
            text = MarkedBlocks.Apply("", text, [(name, "")]);
        }

        return text;
    }

    private static string Dedent(List<string> lines)
    {
        int indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart(' ').Length).DefaultIfEmpty(0).Min();
        return string.Concat(lines.Select(l => (l.Trim().Length == 0 ? "" : l[indent..].TrimEnd()) + "\n"));
    }
}
