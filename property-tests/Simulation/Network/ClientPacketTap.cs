using System.Buffers;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Simulation.Network;

/// <summary>Decodes the byte stream a client writes on one link, flush by flush, and reports each whole packet.</summary>
internal sealed class ClientPacketTap
{
    private readonly IClientPacketObserver _observer;
    private readonly ArrayBufferWriter<byte> _pending = new();
    private bool _broken;
    private bool _versionKnown;

    /// <summary>The version the link speaks, from its CONNECT.</summary>
    internal MqttProtocolVersion Version { get; private set; } = MqttProtocolVersion.V311;

    internal ClientPacketTap(IClientPacketObserver observer)
    {
        _observer = observer;
    }

    internal void Observe(SimulatedLink link, ReadOnlySpan<byte> bytes)
    {
        if (_broken || bytes.IsEmpty)
        {
            return;
        }

        _pending.Write(bytes);
        var buffer = new ReadOnlySequence<byte>(_pending.WrittenMemory);
        var packets = new List<MqttPacket>();
        if (!_versionKnown && buffer.Length >= 12)
        {
            _versionKnown = true;
            Version = ConnectVersion.Sniff(buffer) ?? MqttProtocolVersion.V311;
        }

        try
        {
            while (MqttPacketReader.TryRead(ref buffer, int.MaxValue, Version, out MqttPacket? packet))
            {
                packets.Add(packet);
            }
        }
        catch (MqttProtocolException ex)
        {
            // After malformed bytes the stream cannot be re-framed; report once and stop.
            _broken = true;
            _observer.OnClientMalformed(link, ex);
            return;
        }

        byte[] rest = buffer.ToArray();
        _pending.Clear();
        _pending.Write(rest);
        foreach (MqttPacket packet in packets)
        {
            _observer.OnClientPacket(link, packet, Version);
        }
    }
}
