using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Docs;

/// <summary>spec/ as built by spec/nano/ against nanoFramework's mscorlib references nothing else (the build asserts it too).</summary>
public sealed class SpecNanoBuildTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public void Spec_built_for_nano_references_only_nanos_mscorlib()
    {
        string path = Path.Combine(SpecReadmeTests.RepositoryRoot(), "spec", "nano", "bin", Configuration, "netstandard2.0", "StateMachineMqtt.Spec.Nano.dll");
        Assert.True(File.Exists(path), $"{path} is missing: build spec/nano/StateMachineMqtt.Spec.Nano.csproj (property-tests references it for build order).");

        using var pe = new PEReader(File.OpenRead(path));
        MetadataReader metadata = pe.GetMetadataReader();
        var references = metadata.AssemblyReferences.Select(h => metadata.GetAssemblyReference(h)).ToArray();

        var mscorlib = Assert.Single(references);
        Assert.Equal("mscorlib", metadata.GetString(mscorlib.Name));
        // nanoFramework's mscorlib is versioned 1.x; the desktop one is 4.0.0.0.
        Assert.Equal(1, mscorlib.Version.Major);
        Assert.Contains(metadata.TypeDefinitions, h => metadata.GetString(metadata.GetTypeDefinition(h).Name) == "ConnectionTable");
    }
}
