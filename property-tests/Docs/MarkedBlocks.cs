namespace StateMachineMqtt.PropertyTests.Docs;

/// <summary>
/// Generated parts of a Markdown file live between <c>&lt;!-- BEGIN name --&gt;</c> and <c>&lt;!-- END name --&gt;</c>; the
/// rest is written by hand. A test regenerates the blocks, fails when the file differs, and with UPDATE_DOCS=1 rewrites it.
/// </summary>
internal static class MarkedBlocks
{
    private static readonly Lock Gate = new();

    /// <summary>The command that regenerates every generated part of the docs.</summary>
    public const string UpdateCommand = "`UPDATE_DOCS=1 dotnet test property-tests --filter FullyQualifiedName~Docs`";

    /// <summary>Replaces the text between each block's markers in <paramref name="text"/> (named <paramref name="file"/> in errors).</summary>
    public static string Apply(string file, string text, IReadOnlyList<(string Name, string Markdown)> blocks)
    {
        text = text.ReplaceLineEndings("\n");
        foreach ((string name, string markdown) in blocks)
        {
            string begin = $"<!-- BEGIN {name} -->";
            string end = $"<!-- END {name} -->";
            int start = text.IndexOf(begin, StringComparison.Ordinal);
            int stop = text.IndexOf(end, StringComparison.Ordinal);
            if (start < 0 || stop < start)
            {
                throw new InvalidOperationException($"{file} needs the markers '{begin}' and then '{end}' on lines of their own.");
            }

            text = string.Concat(text.AsSpan(0, start + begin.Length), "\n", markdown, text.AsSpan(stop));
        }

        return text;
    }

    /// <summary>The names of every <c>&lt;!-- BEGIN prefix... --&gt;</c> marker in <paramref name="text"/> whose name starts with <paramref name="prefix"/>.</summary>
    public static IReadOnlyList<string> Names(string text, string prefix)
    {
        var names = new List<string>();
        string open = "<!-- BEGIN " + prefix;
        for (int at = text.IndexOf(open, StringComparison.Ordinal); at >= 0; at = text.IndexOf(open, at + 1, StringComparison.Ordinal))
        {
            int close = text.IndexOf(" -->", at, StringComparison.Ordinal);
            names.Add(text[(at + "<!-- BEGIN ".Length)..close]);
        }

        return names;
    }

    /// <summary>
    /// Regenerates <paramref name="relativePath"/> (from the repository root) with <paramref name="regenerate"/>, rewrites it
    /// under UPDATE_DOCS=1, and asserts it was current, naming the first differing line.
    /// </summary>
    public static void AssertCurrent(string relativePath, Func<string, string> regenerate, string whatIsGenerated)
    {
        string path = Path.Combine(SpecReadmeTests.RepositoryRoot(), relativePath);
        Assert.True(File.Exists(path), $"{path} is missing.");
        string current, expected;

        // Two test classes may regenerate different blocks of one file (docs/configuration.md has tables and snippets):
        // one read-modify-write at a time, so under UPDATE_DOCS neither overwrites the other's update.
        lock (Gate)
        {
            current = File.ReadAllText(path).ReplaceLineEndings("\n");
            expected = regenerate(current);
            if (current != expected && Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
            {
                File.WriteAllText(path, expected);
                current = expected;
            }
        }

        Assert.True(
            current == expected,
            $"{relativePath} is stale: {whatIsGenerated}. Regenerate it with {UpdateCommand} and commit the result. " +
            FirstDifference(current, expected));
    }

    /// <summary>The first line at which two texts differ, for a failure message.</summary>
    public static string FirstDifference(string current, string expected)
    {
        string[] have = current.Split('\n');
        string[] want = expected.Split('\n');
        for (int i = 0; i < Math.Max(have.Length, want.Length); i++)
        {
            string a = i < have.Length ? have[i] : "(end of file)";
            string b = i < want.Length ? want[i] : "(end of file)";
            if (a != b)
            {
                return $"First difference at line {i + 1}:\n  committed: {a}\n  generated: {b}";
            }
        }

        return "";
    }
}
