using System.Buffers;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>
/// The broker end of <see cref="FakeNanoSocket"/>: decodes what the device sends with core's codec (an independent
/// reading of the device's bytes) and answers as the test scripts it — CONNACK with or without a session, lost PUBACKs,
/// a silent (half-open) link, lost PUBRECs and PUBCOMPs. Keeps every packet received, per connection, for the test's
/// assertions. A QoS 2 PUBLISH is taken as new only when its packet identifier is not held from an earlier one (a receipt
/// kept until PUBREL [MQTT-4.3.3-2]), so a client that sent the PUBLISH again after its PUBREL shows as a duplicate in
/// <see cref="Delivered"/>. The receipts outlive connections whatever <see cref="SessionPresent"/> says: that flag scripts
/// the CONNACK and the subscriptions only. Under MQTT 5 (<see cref="Version"/>) it speaks the v5 codec, answers with the
/// scripted CONNACK properties and reason codes, resolves the client's Topic Aliases per connection, and keeps the
/// session only when the last CONNECT asked for a Session Expiry Interval above 0.
/// </summary>
internal sealed class FakeNanoBroker(MqttProtocolVersion version = MqttProtocolVersion.V311)
{
    private byte[] _pending = [];
    private readonly Dictionary<ushort, string> _clientAliases = [];

    /// <summary>The version both ends speak.</summary>
    public MqttProtocolVersion Version { get; } = version;

    /// <summary>MQTT 5: the properties of the next CONNACKs, or null.</summary>
    public MqttProperties? ConnAckProperties { get; set; }

    /// <summary>MQTT 5: the reason code of the next PUBACKs and PUBRECs (0: success).</summary>
    public byte PublishReasonCode { get; set; }

    /// <summary>MQTT 5: the Reason String of the next refusing PUBACKs and PUBRECs, or null.</summary>
    public string? PublishReasonString { get; set; }

    /// <summary>MQTT 5: the reason code the next SUBACKs give every filter instead of its QoS, or null.</summary>
    public byte? SubAckReasonCode { get; set; }

    /// <summary>MQTT 5: the reason code the next UNSUBACKs give every filter (0: success).</summary>
    public byte UnsubAckReasonCode { get; set; }

    /// <summary>MQTT 5: the Reason String of the next UNSUBACKs, or null.</summary>
    public string? UnsubAckReasonString { get; set; }

    /// <summary>MQTT 5: the Session Expiry Interval of the last CONNECT (0 when absent).</summary>
    public uint SessionExpiry { get; private set; }

    /// <summary>MQTT 5: the PUBLISHes as the broker took them, Topic Aliases resolved into their topics.</summary>
    public List<PublishPacket> Resolved { get; } = [];

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
        _clientAliases.Clear(); // the client's aliases live and die with the connection
        ToDevice.Clear();
    }

    /// <summary>Sends a packet to the device.</summary>
    public void Send(MqttPacket packet)
    {
        var writer = new ArrayBufferWriter<byte>();
        MqttPacketWriter.Write(packet, writer, Version);
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
        while (MqttPacketReader.TryRead(ref buffer, 1 << 20, Version, out MqttPacket? packet))
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
            case ConnectPacket c:
                // MQTT 5: a session outlives the link only with a Session Expiry Interval [MQTT-3.1.2-11].
                bool kept = SessionPresent && (Version != MqttProtocolVersion.V500 || (SessionExpiry > 0 && !c.CleanSession));
                SessionExpiry = c.Properties?.SessionExpiryInterval ?? 0;
                if (!kept || ConnAckCode != ConnectReturnCode.Accepted)
                {
                    Subscriptions.Clear(); // a new session holds none [MQTT-3.2.2-3]
                }

                Send(new ConnAckPacket(kept && ConnAckCode == ConnectReturnCode.Accepted, ConnAckCode, Version == MqttProtocolVersion.V500 ? ConnAckProperties : null));
                break;
            case SubscribePacket s:
                if (SubAckReasonCode is { } refusal)
                {
                    Send(new SubAckPacket(s.PacketId, [.. s.Subscriptions.Select(_ => refusal)]));
                    break;
                }

                Subscriptions.UnionWith(s.Subscriptions.Select(x => x.TopicFilter));
                Send(new SubAckPacket(s.PacketId, [.. s.Subscriptions.Select(x => (byte)x.QualityOfService)]));
                break;
            case UnsubscribePacket u:
                Subscriptions.ExceptWith(u.TopicFilters);
                Send(Version == MqttProtocolVersion.V500 ? new UnsubAckPacket(u.PacketId, [.. u.TopicFilters.Select(_ => UnsubAckReasonCode)], UnsubAckReasonString is null ? null : new MqttProperties { ReasonString = UnsubAckReasonString }) : new UnsubAckPacket(u.PacketId));
                break;
            case PublishPacket p when Version == MqttProtocolVersion.V500:
                Resolved.Add(Resolve(p));
                if (PublishReasonCode >= 0x80 && p.QualityOfService != MqttQualityOfService.AtMostOnce)
                {
                    // Refused: not taken, so not delivered and no receipt held.
                    MqttProperties? why = PublishReasonString is null ? null : new MqttProperties { ReasonString = PublishReasonString };
                    Send(p.QualityOfService == MqttQualityOfService.AtLeastOnce ? new PubAckPacket(p.PacketId, PublishReasonCode, why) : new PubRecPacket(p.PacketId, PublishReasonCode, why));
                    break;
                }

                AnswerPublish(p);
                break;
            case PublishPacket p:
                AnswerPublish(p);
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

    /// <summary>A client PUBLISH with its Topic Alias resolved (set, or used) on this connection [MQTT-3.3.2.3.4].</summary>
    private PublishPacket Resolve(PublishPacket p)
    {
        if (p.Properties?.TopicAlias is not { } alias)
        {
            return p;
        }

        if (p.Topic.Length > 0)
        {
            _clientAliases[alias] = p.Topic;
            return p;
        }

        return p with { Topic = _clientAliases.TryGetValue(alias, out string? topic) ? topic : throw new InvalidOperationException($"the client used Topic Alias {alias}, which it never set on connection {Connection}") };
    }

    private void AnswerPublish(PublishPacket p)
    {
        switch (p)
        {
            case { QualityOfService: MqttQualityOfService.AtMostOnce }:
                Delivered.Add(p);
                break;
            case { QualityOfService: MqttQualityOfService.AtLeastOnce }:
                Delivered.Add(p);
                if (PubAcksToDrop > 0)
                {
                    PubAcksToDrop--;
                }
                else
                {
                    Send(new PubAckPacket(p.PacketId, PublishReasonCode, null));
                }

                break;
            default:
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
                    Send(new PubRecPacket(p.PacketId, PublishReasonCode, null));
                }

                break;
        }
    }
}
