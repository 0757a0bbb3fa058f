using System.Buffers;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>
/// The broker end of <see cref="FakeNanoSocket"/>: decodes what the device sends with core's codec (an independent
/// reading of the device's bytes) and answers as the test scripts it — CONNACK with or without a session, lost PUBACKs,
/// a silent (half-open) link. Keeps every packet received, per connection, for the test's assertions.
/// </summary>
internal sealed class FakeNanoBroker
{
    private byte[] _pending = [];

    /// <summary>Every packet the device wrote, with its connection number, whether or not a silent link ate it.</summary>
    public List<(int Connection, MqttPacket Packet)> Wire { get; } = [];

    /// <summary>Every packet received, with the connection number it came on (1 = first).</summary>
    public List<(int Connection, MqttPacket Packet)> Received { get; } = [];

    /// <summary>The current connection's number.</summary>
    public int Connection { get; private set; }

    /// <summary>Session present flag of the next CONNACKs.</summary>
    public bool SessionPresent { get; set; }

    /// <summary>Return code of the next CONNACKs.</summary>
    public ConnectReturnCode ConnAckCode { get; set; } = ConnectReturnCode.Accepted;

    /// <summary>PUBACKs still to "lose".</summary>
    public int PubAcksToDrop { get; set; }

    /// <summary>A half-open link: what the device sends vanishes and nothing comes back.</summary>
    public bool Silent { get; set; }

    /// <summary>The topic filters in force in the device's session, as this broker holds them.</summary>
    public HashSet<string> Subscriptions { get; } = [];

    /// <summary>Bytes for the device, in order.</summary>
    public Queue<byte> ToDevice { get; } = new();

    /// <summary>The packets of one type received so far.</summary>
    public IEnumerable<T> All<T>() where T : MqttPacket => Received.Select(r => r.Packet).OfType<T>();

    /// <summary>A new TCP connection reached the broker.</summary>
    public void Accept()
    {
        Connection++;
        _pending = [];
        ToDevice.Clear();
    }

    /// <summary>Sends a packet to the device.</summary>
    public void Send(MqttPacket packet)
    {
        var writer = new ArrayBufferWriter<byte>();
        MqttPacketWriter.Write(packet, writer);
        foreach (byte b in writer.WrittenSpan)
        {
            ToDevice.Enqueue(b);
        }
    }

    /// <summary>Bytes arrived from the device.</summary>
    public void Receive(ReadOnlySpan<byte> bytes)
    {
        _pending = [.. _pending, .. bytes];
        var buffer = new ReadOnlySequence<byte>(_pending);
        while (MqttPacketReader.TryRead(ref buffer, 1 << 20, out MqttPacket? packet))
        {
            Wire.Add((Connection, packet));
            if (!Silent)
            {
                Received.Add((Connection, packet));
                Answer(packet);
            }
        }

        _pending = buffer.ToArray();
    }

    private void Answer(MqttPacket packet)
    {
        switch (packet)
        {
            case ConnectPacket:
                if (!SessionPresent || ConnAckCode != ConnectReturnCode.Accepted)
                {
                    Subscriptions.Clear(); // a new session holds none [MQTT-3.2.2-3]
                }

                Send(new ConnAckPacket(SessionPresent && ConnAckCode == ConnectReturnCode.Accepted, ConnAckCode));
                break;
            case SubscribePacket s:
                Subscriptions.UnionWith(s.Subscriptions.Select(x => x.TopicFilter));
                Send(new SubAckPacket(s.PacketId, [.. s.Subscriptions.Select(x => (byte)x.QualityOfService)]));
                break;
            case UnsubscribePacket u:
                Subscriptions.ExceptWith(u.TopicFilters);
                Send(new UnsubAckPacket(u.PacketId));
                break;
            case PublishPacket { QualityOfService: MqttQualityOfService.AtLeastOnce } p:
                if (PubAcksToDrop > 0)
                {
                    PubAcksToDrop--;
                }
                else
                {
                    Send(new PubAckPacket(p.PacketId));
                }

                break;
            case PingReqPacket:
                Send(PingRespPacket.Instance);
                break;
            default:
                break;
        }
    }
}
