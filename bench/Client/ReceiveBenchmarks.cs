using System.Buffers;
using BenchmarkDotNet.Attributes;
using StateMachineMqtt.Benchmarks.InMemory;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.Benchmarks.Client;

/// <summary>
/// The receive path: from the bytes of one PUBLISH arriving on the link to the <see cref="MqttMessage"/> the application
/// reads from ReadMessagesAsync (with the PUBACK the client then owes, at QoS 1).
/// </summary>
[MemoryDiagnoser]
public class ReceiveBenchmarks
{
    private MqttClient _client = null!;
    private ScriptedBroker _broker = null!;
    private IAsyncEnumerator<MqttMessage> _messages = null!;
    private byte[][] _publishes = [];
    private int _next;

    /// <summary>Quality of service of the received PUBLISH.</summary>
    [Params(MqttQualityOfService.AtMostOnce, MqttQualityOfService.AtLeastOnce)]
    public MqttQualityOfService Qos { get; set; } = MqttQualityOfService.AtMostOnce;

    /// <summary>Payload size in bytes.</summary>
    [Params(16, 1024)]
    public int PayloadSize { get; set; } = 16;

    /// <summary>Connects, subscribes, and encodes the PUBLISH bytes once (packet identifiers cycle through 1..1000).</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_client, _broker) = ConnectedClient.ConnectAsync().GetAwaiter().GetResult();
        _client.SubscribeAsync("bench/#", MqttQualityOfService.AtLeastOnce).GetAwaiter().GetResult();
        _messages = _client.ReadMessagesAsync().GetAsyncEnumerator();
        _publishes = new byte[1000][];
        var output = new ArrayBufferWriter<byte>();
        for (int i = 0; i < _publishes.Length; i++)
        {
            output.ResetWrittenCount();
            ushort packetId = Qos == MqttQualityOfService.AtMostOnce ? (ushort)0 : (ushort)(i + 1);
            MqttPacketWriter.Write(new PublishPacket("bench/topic", new byte[PayloadSize], Qos, false, false, packetId), output);
            _publishes[i] = output.WrittenSpan.ToArray();
        }
    }

    /// <summary>Disconnects.</summary>
    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _messages.DisposeAsync();
        await _client.DisposeAsync();
    }

    /// <summary>One PUBLISH in, one message out to the application.</summary>
    [Benchmark]
    public async Task<MqttMessage> ReceiveOne()
    {
        byte[] bytes = _publishes[_next];
        _next = (_next + 1) % _publishes.Length;
        await _broker.SendAsync(bytes);
        if (!await _messages.MoveNextAsync())
        {
            throw new InvalidOperationException("ReadMessagesAsync ended while the benchmark was reading it.");
        }

        return _messages.Current;
    }
}
