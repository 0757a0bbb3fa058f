using StateMachineMqtt.PropertyTests.Nano;

namespace StateMachineMqtt.PropertyTests.Docs;

/// <summary>spec/ as built by spec/nano/ against nanoFramework's mscorlib references nothing else (the build asserts it too).</summary>
public sealed class SpecNanoBuildTests
{
    [Fact]
    public void Spec_built_for_nano_references_only_nanos_mscorlib()
    {
        var (references, types) = BuiltAssembly.Read("spec/nano/bin", "StateMachineMqtt.Spec.Nano.dll", "spec/nano/StateMachineMqtt.Spec.Nano.csproj");

        // nanoFramework's mscorlib is versioned 1.x; the desktop one is 4.0.0.0.
        Assert.Equal(["mscorlib 1"], references);
        Assert.Contains("ConnectionTable", types);
    }
}
