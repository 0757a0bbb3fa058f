using System.Buffers;
using BenchmarkDotNet.Attributes;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Benchmarks.Codec;

/// <summary>Encode and decode of one packet of every type: the pure codec, with no I/O.</summary>
[MemoryDiagnoser]
public class PacketCodecBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(2048);
    private MqttPacket _packet = null!;
    private MqttProtocolVersion _version;
    private byte[] _encoded = [];

    /// <summary>Which packet (see SamplePackets.Names).</summary>
    [ParamsSource(nameof(PacketNames))]
    public string Packet { get; set; } = "PUBLISH 16 B";

    /// <summary>Every sample packet's name.</summary>
    public static IEnumerable<string> PacketNames => SamplePackets.Names;

    /// <summary>The packet's bytes, as <see cref="Setup"/> encoded them.</summary>
    public ReadOnlyMemory<byte> Encoded => _encoded;

    /// <summary>Builds the packet and its bytes once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_packet, _version) = SamplePackets.Create(Packet);
        _output.ResetWrittenCount();
        MqttPacketWriter.Write(_packet, _output, _version);
        _encoded = _output.WrittenSpan.ToArray();
    }

    /// <summary>Writes the packet into a reused buffer.</summary>
    [Benchmark]
    public int Encode()
    {
        _output.ResetWrittenCount();
        MqttPacketWriter.Write(_packet, _output, _version);
        return _output.WrittenCount;
    }

    /// <summary>Reads the packet back from its bytes.</summary>
    [Benchmark]
    public object Decode()
    {
        var buffer = new ReadOnlySequence<byte>(_encoded);
        if (!MqttPacketReader.TryRead(ref buffer, 1 << 20, _version, out MqttPacket? packet))
        {
            throw new InvalidOperationException($"{Packet}: its own encoding did not decode as a whole packet.");
        }

        return packet;
    }
}
