using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using StateMachineMqtt.PropertyTests.Docs;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>Reads an assembly built for nanoFramework (netstandard2.0 output folders) without loading it: its references and types.</summary>
internal static class BuiltAssembly
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    /// <summary>
    /// References as "Name MajorVersion" and type names of <paramref name="file"/> in &lt;root&gt;/<paramref name="binFolder"/>/&lt;configuration&gt;/netstandard2.0.
    /// <paramref name="project"/> names the project to build when the file is missing.
    /// </summary>
    public static (string[] References, HashSet<string> Types) Read(string binFolder, string file, string project)
    {
        string path = Path.Combine(SpecReadmeTests.RepositoryRoot(), binFolder, Configuration, "netstandard2.0", file);
        Assert.True(File.Exists(path), $"{path} is missing: build {project} (property-tests references it for build order).");
        using var pe = new PEReader(File.OpenRead(path));
        MetadataReader metadata = pe.GetMetadataReader();
        string[] references = [.. metadata.AssemblyReferences.Select(h => metadata.GetAssemblyReference(h)).Select(r => $"{metadata.GetString(r.Name)} {r.Version.Major}")];
        HashSet<string> types = [.. metadata.TypeDefinitions.Select(h => metadata.GetString(metadata.GetTypeDefinition(h).Name))];
        return (references, types);
    }
}
