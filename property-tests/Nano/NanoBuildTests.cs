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
    }

    [Fact]
    public void The_glue_references_only_the_port_and_the_nanoFramework_assemblies()
    {
        var (references, types) = BuiltAssembly.Read("nano-port/build/glue/bin", "StateMachineMqtt.Nano.Glue.dll", "nano-port/build/glue/StateMachineMqtt.Nano.Glue.csproj");
        Assert.Equal(["StateMachineMqtt.Nano 1", "System.Device.Wifi 1", "System.Net 1", "mscorlib 1"], references.Order(StringComparer.Ordinal));
        Assert.Contains("NanoSocketAdapter", types);
    }
}
