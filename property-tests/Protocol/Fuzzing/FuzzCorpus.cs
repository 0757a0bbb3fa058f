using StateMachineMqtt.Fuzz;
using StateMachineMqtt.PropertyTests.Docs;

namespace StateMachineMqtt.PropertyTests.Protocol.Fuzzing;

/// <summary>
/// The committed corpus as files and bytes: the generated seeds, fuzz/corpus/&lt;target&gt;/, and the inputs afl-fuzz runs
/// kept for new coverage, fuzz/found/&lt;target&gt;/ (copied from a run's queue; see fuzz/README.md).
/// </summary>
internal static class FuzzCorpus
{
    /// <summary>fuzz/corpus in this repository.</summary>
    public static string Root => Path.Combine(SpecReadmeTests.RepositoryRoot(), "fuzz", "corpus");

    /// <summary>fuzz/found in this repository.</summary>
    public static string FoundRoot => Path.Combine(SpecReadmeTests.RepositoryRoot(), "fuzz", "found");

    /// <summary>Every seed and found file, every target's folder, in a stable order.</summary>
    public static IReadOnlyList<string> Files() =>
        [.. new[] { Root, FoundRoot }.Where(Directory.Exists)
            .SelectMany(root => Directory.EnumerateFiles(root, "*.bin", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)];

    /// <summary>The bytes of every corpus file, in <see cref="Files"/>' order.</summary>
    public static IReadOnlyList<byte[]> Contents() => [.. Files().Select(File.ReadAllBytes)];

    /// <summary>The corpus file of <paramref name="target"/> called <paramref name="name"/> (without .bin).</summary>
    public static string PathOf(DecoderTarget target, string name) => Path.Combine(Root, DecoderTargets.NameOf(target), name + ".bin");
}
