using StateMachineMqtt.PropertyTests.Nano;

namespace StateMachineMqtt.PropertyTests.Docs;

/// <summary>engine/ as built by engine/nano/ against nanoFramework's mscorlib references nothing else (the build asserts it too).</summary>
public sealed class EngineNanoBuildTests
{
    [Fact]
    public void Engine_built_for_nano_references_only_nanos_mscorlib()
    {
        var (references, types) = BuiltAssembly.Read("engine/nano/bin", "StateMachineMqtt.Engine.Nano.dll", "engine/nano/StateMachineMqtt.Engine.Nano.csproj");

        // nanoFramework's mscorlib is versioned 1.x; the desktop one is 4.0.0.0.
        Assert.Equal(["mscorlib 1"], references);
        Assert.Contains("SessionEngine", types);
        Assert.Contains("InboundDispatchTable", types);
    }
}
