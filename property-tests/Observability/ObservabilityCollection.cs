namespace StateMachineMqtt.PropertyTests.Observability;

/// <summary>
/// The observability tests listen to the client's ActivitySource and meter process-wide. A listener changes what every
/// client does (an MQTT 5 PUBLISH then carries a traceparent user property), so these tests run on their own, never beside
/// tests that compare user properties or packets byte for byte.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ObservabilityCollection
{
    public const string Name = "Observability (process-wide listeners)";
}
