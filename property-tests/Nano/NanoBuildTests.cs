using StateMachineMqtt.PropertyTests.Docs;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>
/// The port as built by nano-port/build/ (property-tests references those projects for build order): the portable
/// assembly references nanoFramework's mscorlib alone, and the glue only the port and the nanoFramework assemblies it
/// names. The builds assert this too; this test keeps it visible in the test run.
/// </summary>
public sealed class NanoBuildTests
{
    [Fact]
    public void The_portable_port_references_only_nanos_mscorlib()
    {
        var (references, types) = BuiltAssembly.Read("nano-port/build/bin", "StateMachineMqtt.Nano.dll", "nano-port/build/StateMachineMqtt.Nano.csproj");
        Assert.Equal(["mscorlib 1"], references);
        Assert.Contains("ConnectionInterpreter", types);
        Assert.Contains("NanoPacketWriter", types);
        Assert.Contains("NanoMqttClient", types);
        Assert.Contains("ConnectionTable", types); // spec/ compiled in
        Assert.Contains("SessionEngine", types);   // and the engine: the device client drives it
        Assert.Contains("InterpreterMachines", types);
    }

    [Fact]
    public void The_Visual_Studio_project_compiles_every_folder_of_sources_CI_compiles()
    {
        // The .nfproj is not built here, so nothing else notices when a new engine/ or spec/ folder is missing from it.
        string root = SpecReadmeTests.RepositoryRoot();
        string project = File.ReadAllText(Path.Combine(root, "nano-port/device/StateMachineMqtt.Nano.Device.nfproj"));
        var listed = System.Text.RegularExpressions.Regex.Matches(project, @"Compile Include=""\.\.\\(?<dir>[^""*]+)\\\*\.cs""")
            .Select(m => Path.GetFullPath(Path.Combine(root, "nano-port", m.Groups["dir"].Value.Replace('\\', '/'))).TrimEnd('/'))
            .ToHashSet();
        string[] roots = ["engine", "spec", "nano-port/Interpreter", "nano-port/Codec", "nano-port/Client", "nano-port/Glue"];
        var needed = roots
            .SelectMany(r => Directory.GetFiles(Path.Combine(root, r), "*.cs", SearchOption.AllDirectories))
            .Select(f => Path.GetDirectoryName(Path.GetFullPath(f))!)
            .Where(d => !d.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "nano"))
            .Distinct();
        string[] missing = [.. needed.Where(d => !listed.Contains(d)).Select(d => Path.GetRelativePath(root, d))];
        Assert.True(missing.Length == 0, "nano-port/device/StateMachineMqtt.Nano.Device.nfproj does not compile " + string.Join(", ", missing));
    }

    [Fact]
    public void The_glue_references_only_the_port_and_the_nanoFramework_assemblies()
    {
        var (references, types) = BuiltAssembly.Read("nano-port/build/glue/bin", "StateMachineMqtt.Nano.Glue.dll", "nano-port/build/glue/StateMachineMqtt.Nano.Glue.csproj");
        Assert.Equal(["StateMachineMqtt.Nano 1", "System.Device.Wifi 1", "System.Net 1", "mscorlib 1"], references.Order(StringComparer.Ordinal));
        Assert.Contains("NanoSocketAdapter", types);
    }
}
