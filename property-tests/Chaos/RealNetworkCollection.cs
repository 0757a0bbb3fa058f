namespace StateMachineMqtt.PropertyTests.Chaos;

/// <summary>
/// Real-network soaks run alone, after the parallel tests: their timing and memory figures would otherwise measure the
/// model checker and the property runs sharing the process and the two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealNetworkCollection
{
    public const string Name = "Real network (run alone)";
}
