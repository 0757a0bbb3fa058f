using System.Buffers;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>
/// The broker end of <see cref="FakeNanoSocket"/>: decodes what the device sends with core's codec (an independent
/// reading of the device's bytes) and answers as the test scripts it — CONNACK with or without a session, lost PUBACKs,
/// a silent (half-open) link, lost PUBRECs and PUBCOMPs. Keeps every packet received, per connection, for the test's
/// assertions. A QoS 2 PUBLISH is taken as new only when its packet identifier is not held from an earlier one (a receipt
/// kept until PUBREL [MQTT-4.3.3-2]), so a client that sent the PUBLISH again after its PUBREL shows as a duplicate in
/// <see cref="Delivered"/>. The receipts outlive connections whatever <see cref="SessionPresent"/> says: that flag scripts
/// the CONNACK and the subscriptions only.
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

    /// <summary>PUBRECs still to "lose" (the PUBLISH was taken; only the answer is lost).</summary>
    public int PubRecsToDrop { get; set; }

    /// <summary>PUBCOMPs still to "lose" (the PUBREL released the receipt; only the answer is lost).</summary>
    public int PubCompsToDrop { get; set; }

    /// <summary>Packet identifiers of QoS 2 messages taken and not yet released by PUBREL.</summary>
    public HashSet<ushort> Qos2Receipts { get; } = [];

    /// <summary>Every message the broker took as new, in order: QoS 0 and 1 on each receipt, QoS 2 once per receipt it holds.</summary>
    public List<PublishPacket> Delivered { get; } = [];

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
            case PublishPacket { QualityOfService: MqttQualityOfService.AtMostOnce } p:
                Delivered.Add(p);
                break;
            case PublishPacket { QualityOfService: MqttQualityOfService.AtLeastOnce } p:
                Delivered.Add(p);
                if (PubAcksToDrop > 0)
                {
                    PubAcksToDrop--;
                }
                else
                {
                    Send(new PubAckPacket(p.PacketId));
                }

                break;
            case PublishPacket { QualityOfService: MqttQualityOfService.ExactlyOnce } p:
                if (Qos2Receipts.Add(p.PacketId))
                {
                    Delivered.Add(p);
                }

                if (PubRecsToDrop > 0)
                {
                    PubRecsToDrop--;
                }
                else
                {
                    Send(new PubRecPacket(p.PacketId));
                }

                break;
            case PubRelPacket r:
                // Answered whether or not a receipt is held: the PUBCOMP of an earlier PUBREL may have been lost [MQTT-4.3.3-2].
                Qos2Receipts.Remove(r.PacketId);
                if (PubCompsToDrop > 0)
                {
                    PubCompsToDrop--;
                }
                else
                {
                    Send(new PubCompPacket(r.PacketId));
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
