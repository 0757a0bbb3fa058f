using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using StateMachineMqtt.PropertyTests.Docs;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>
/// The port as built by nano-port/build/ (property-tests references those projects for build order): the portable
/// assembly references nanoFramework's mscorlib alone, and the glue only the port and the nanoFramework assemblies it
/// names. The builds assert this too; this test keeps it visible in the test run.
/// </summary>
public sealed class NanoBuildTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public void The_portable_port_references_only_nanos_mscorlib()
    {
        var (references, types) = Read("StateMachineMqtt.Nano.dll");
        Assert.Equal(["mscorlib 1"], references);
        Assert.Contains("ConnectionInterpreter", types);
        Assert.Contains("NanoPacketWriter", types);
        Assert.Contains("NanoMqttClient", types);
        Assert.Contains("ConnectionTable", types); // spec/ compiled in
    }

    [Fact]
    public void The_glue_references_only_the_port_and_the_nanoFramework_assemblies()
    {
        var (references, types) = Read(Path.Combine("glue", "bin"), "StateMachineMqtt.Nano.Glue.dll");
        Assert.Equal(["StateMachineMqtt.Nano 1", "System.Device.Wifi 1", "System.Net 1", "mscorlib 1"], references.Order(StringComparer.Ordinal));
        Assert.Contains("NanoSocketAdapter", types);
    }

    private static (string[] References, HashSet<string> Types) Read(string file) => Read("bin", file);

    private static (string[] References, HashSet<string> Types) Read(string binFolder, string file)
    {
        string path = Path.Combine(SpecReadmeTests.RepositoryRoot(), "nano-port", "build", binFolder, Configuration, "netstandard2.0", file);
        Assert.True(File.Exists(path), $"{path} is missing: build nano-port/build/ (property-tests references it for build order).");
        using var pe = new PEReader(File.OpenRead(path));
        MetadataReader metadata = pe.GetMetadataReader();
        string[] references = [.. metadata.AssemblyReferences.Select(h => metadata.GetAssemblyReference(h)).Select(r => $"{metadata.GetString(r.Name)} {r.Version.Major}")];
        HashSet<string> types = [.. metadata.TypeDefinitions.Select(h => metadata.GetString(metadata.GetTypeDefinition(h).Name))];
        return (references, types);
    }
}
