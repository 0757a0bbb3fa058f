using StateMachineMqtt.Fuzz;
using StateMachineMqtt.PropertyTests.Docs;

namespace StateMachineMqtt.PropertyTests.Protocol.Fuzzing;

/// <summary>The committed seed corpus, fuzz/corpus/&lt;target&gt;/, as files and bytes.</summary>
internal static class FuzzCorpus
{
    /// <summary>fuzz/corpus in this repository.</summary>
    public static string Root => Path.Combine(SpecReadmeTests.RepositoryRoot(), "fuzz", "corpus");

    /// <summary>Every corpus file, every target's folder, in a stable order.</summary>
    public static IReadOnlyList<string> Files() =>
        [.. Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    /// <summary>The bytes of every corpus file, in <see cref="Files"/>' order.</summary>
    public static IReadOnlyList<byte[]> Contents() => [.. Files().Select(File.ReadAllBytes)];

    /// <summary>The corpus file of <paramref name="target"/> called <paramref name="name"/> (without .bin).</summary>
    public static string PathOf(DecoderTarget target, string name) => Path.Combine(Root, DecoderTargets.NameOf(target), name + ".bin");
}
