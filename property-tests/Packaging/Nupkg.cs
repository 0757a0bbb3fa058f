using System.IO.Compression;
using System.Xml.Linq;

namespace StateMachineMqtt.PropertyTests.Packaging;

/// <summary>Reads the parts of a package the tests look at.</summary>
internal static class Nupkg
{
    /// <summary>The entry names of <paramref name="package"/>, minus NuGet's own bookkeeping (_rels/, package/, [Content_Types].xml).</summary>
    public static HashSet<string> Files(ZipArchive package) =>
    [
        .. package.Entries.Select(e => e.FullName)
            .Where(n => !n.StartsWith("_rels/", StringComparison.Ordinal) && !n.StartsWith("package/", StringComparison.Ordinal)
                        && n != "[Content_Types].xml"),
    ];

    /// <summary>The &lt;metadata&gt; element of the package's nuspec (whatever nuspec schema version it uses).</summary>
    public static XElement Metadata(ZipArchive package, string id)
    {
        ZipArchiveEntry entry = package.GetEntry($"{id}.nuspec") ?? throw new InvalidOperationException($"{id}.nuspec is missing from the package.");
        using Stream stream = entry.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    /// <summary>The value of metadata element <paramref name="name"/>, or null.</summary>
    public static string? Value(XElement metadata, string name) =>
        metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    /// <summary>The (id, version) pairs of the nuspec's dependencies.</summary>
    public static IReadOnlyList<(string Id, string Version)> Dependencies(XElement metadata) =>
    [
        .. metadata.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => ((string)e.Attribute("id")!, (string)e.Attribute("version")!)),
    ];

    /// <summary>An entry's bytes.</summary>
    public static byte[] Read(ZipArchive package, string entryName)
    {
        ZipArchiveEntry entry = package.GetEntry(entryName) ?? throw new InvalidOperationException($"{entryName} is missing from the package.");
        using Stream stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>An entry as text.</summary>
    public static string ReadText(ZipArchive package, string entryName) =>
        System.Text.Encoding.UTF8.GetString(Read(package, entryName)).TrimStart('\uFEFF');
}
