namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>
/// The heap measurement runs alone, after the parallel tests: the process's heap is what it reads, and another test
/// allocating meanwhile would move its figures.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasurementCollection
{
    public const string Name = "Heap measurement (run alone)";
}
