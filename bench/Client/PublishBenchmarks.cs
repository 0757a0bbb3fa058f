using BenchmarkDotNet.Attributes;
using StateMachineMqtt.Benchmarks.InMemory;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt.Benchmarks.Client;

/// <summary>
/// The publish path of a connected client over the in-memory link: QoS 0 until the call returns, and QoS 1 until its PUBACK
/// (from the scripted broker) completes it.
/// </summary>
[MemoryDiagnoser]
public class PublishBenchmarks
{
    private MqttClient _client = null!;
    private ScriptedBroker _broker = null!;
    private byte[] _payload = [];

    /// <summary>Payload size in bytes.</summary>
    [Params(16, 1024)]
    public int PayloadSize { get; set; } = 16;

    /// <summary>Connects once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[PayloadSize];
        (_client, _broker) = ConnectedClient.ConnectAsync().GetAwaiter().GetResult();
    }

    /// <summary>Disconnects.</summary>
    [GlobalCleanup]
    public void Cleanup() => _client.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>One QoS 0 PUBLISH.</summary>
    [Benchmark]
    public Task PublishQos0() => _client.PublishAsync("bench/topic", _payload, MqttQualityOfService.AtMostOnce);

    /// <summary>One QoS 1 PUBLISH, until its PUBACK arrives.</summary>
    [Benchmark]
    public Task PublishQos1ToPubAck() => _client.PublishAsync("bench/topic", _payload, MqttQualityOfService.AtLeastOnce);

    /// <summary>PUBLISH packets the broker received (for the smoke test's check that they went out).</summary>
    public long Received => _broker.PublishesReceived;
}
