using System.Buffers;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Protocol.Wire;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Protocol;

/// <summary>
/// Encodes MQTT 3.1.1 packets, both client-to-broker and broker-to-client. Pure: writes bytes into a buffer writer and
/// knows nothing of sockets. It refuses anything <see cref="MqttPacketReader"/> would reject, so whatever it writes decodes.
/// </summary>
internal static partial class MqttPacketWriter
{
    private const string Parameter = "packet";

    /// <summary>
    /// Writes one packet into <paramref name="output"/> (a pooled buffer or a PipeWriter), with no intermediate copy.
    /// Throws ArgumentException, saying what to fix, when the packet cannot be encoded: a string longer than 65,535 UTF-8
    /// bytes, a missing or unexpected packet identifier, an empty subscription list, a packet too large for MQTT, and so on.
    /// Nothing is written when it throws.
    /// </summary>
    public static void Write(MqttPacket packet, IBufferWriter<byte> output) => Write(packet, output, MqttProtocolVersion.V311);

    /// <summary>
    /// Writes one packet as <paramref name="version"/> encodes it. Under 3.1.1, MQTT 5 content (properties, a non-zero
    /// reason code, subscription options, AUTH) is refused with ArgumentException rather than silently left out.
    /// </summary>
    public static void Write(MqttPacket packet, IBufferWriter<byte> output, MqttProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(output);
        if (version == MqttProtocolVersion.V500)
        {
            WriteV5(packet, output);
            return;
        }

        EnsureNothingOfVersion5(packet);
        switch (packet)
        {
            case ConnectPacket connect: WriteConnect(connect, output, MqttProtocolVersion.V311); break;
            case ConnAckPacket connAck: WriteConnAck(connAck, output); break;
            case PublishPacket publish: WritePublish(publish, output, MqttProtocolVersion.V311); break;
            case PubAckPacket ack: WriteIdOnly(0x40, ack.PacketId, "PUBACK", output); break;
            case PubRecPacket ack: WriteIdOnly(0x50, ack.PacketId, "PUBREC", output); break;
            case PubRelPacket ack: WriteIdOnly(0x62, ack.PacketId, "PUBREL", output); break;
            case PubCompPacket ack: WriteIdOnly(0x70, ack.PacketId, "PUBCOMP", output); break;
            case SubscribePacket subscribe: WriteSubscribe(subscribe, output, MqttProtocolVersion.V311); break;
            case SubAckPacket subAck: WriteSubAck(subAck, output); break;
            case UnsubscribePacket unsubscribe: WriteUnsubscribe(unsubscribe, output, MqttProtocolVersion.V311); break;
            case UnsubAckPacket ack: WriteIdOnly(0xB0, ack.PacketId, "UNSUBACK", output); break;
            case PingReqPacket: WriteEmpty(0xC0, output); break;
            case PingRespPacket: WriteEmpty(0xD0, output); break;
            case DisconnectPacket: WriteEmpty(0xE0, output); break;
            default:
                throw Invalid($"{packet.GetType().Name} is not an MQTT 3.1.1 packet this writer knows; use the records in StateMachineMqtt.Protocol.Packets.");
        }
    }

    private static void EnsureNothingOfVersion5(MqttPacket packet)
    {
        string? v5 = packet switch
        {
            AuthPacket => "AUTH packets",
            ConnectPacket { Properties: not null } or ConnectPacket { Will.Properties: not null } => "CONNECT properties",
            ConnAckPacket { Properties: not null } => "CONNACK properties",
            PublishPacket { Properties: not null } => "PUBLISH properties",
            PubAckPacket a when a.ReasonCode != 0 || a.Properties is not null => "a PUBACK reason code or properties",
            PubRecPacket a when a.ReasonCode != 0 || a.Properties is not null => "a PUBREC reason code or properties",
            PubRelPacket a when a.ReasonCode != 0 || a.Properties is not null => "a PUBREL reason code or properties",
            PubCompPacket a when a.ReasonCode != 0 || a.Properties is not null => "a PUBCOMP reason code or properties",
            SubscribePacket s when s.Properties is not null || s.Subscriptions?.Any(f => f is { NoLocal: true } or { RetainAsPublished: true } or { RetainHandling: not 0 }) == true => "SUBSCRIBE properties or subscription options",
            SubAckPacket { Properties: not null } => "SUBACK properties",
            UnsubscribePacket { Properties: not null } => "UNSUBSCRIBE properties",
            UnsubAckPacket u when u.ReasonCodes is not null || u.Properties is not null => "UNSUBACK reason codes or properties",
            DisconnectPacket d when d.ReasonCode != 0 || d.Properties is not null => "a DISCONNECT reason code or properties",
            _ => null,
        };
        if (v5 is not null)
        {
            throw Invalid($"MQTT 3.1.1 has no {v5} (they are MQTT 5's), and this link speaks 3.1.1. Leave them out, or connect with MQTT 5.");
        }
    }

    private static void WriteConnAck(ConnAckPacket packet, IBufferWriter<byte> output)
    {
        if (!Enum.IsDefined(packet.ReturnCode))
        {
            throw Invalid($"CONNACK return code {(byte)packet.ReturnCode} is reserved; MQTT 3.1.1 defines 0 to 5 [MQTT-3.2.2.3].");
        }

        if (packet.SessionPresent && packet.ReturnCode != ConnectReturnCode.Accepted)
        {
            throw Invalid($"CONNACK refusing the connection ({packet.ReturnCode}) must not set SessionPresent [MQTT-3.2.2-4].");
        }

        var cursor = new BufferWriterCursor(output, 4);
        cursor.WriteFixedHeader(0x20, 2);
        cursor.WriteByte(packet.SessionPresent ? (byte)1 : (byte)0);
        cursor.WriteByte((byte)packet.ReturnCode);
        cursor.Commit();
    }

    private static void WritePublish(PublishPacket packet, IBufferWriter<byte> output, MqttProtocolVersion version)
    {
        bool v5 = version == MqttProtocolVersion.V500;
        if (!v5 || packet.Topic is not "" || packet.Properties?.TopicAlias is null)
        {
            // Under MQTT 5 a Topic Alias may stand for an empty topic [MQTT-3.3.2-8].
            TopicValidation.EnsureTopicName(packet.Topic, Parameter);
        }

        if (v5 && packet.Properties?.ResponseTopic is { } responseTopic)
        {
            EnsureResponseTopic(responseTopic, "PUBLISH");
        }

        int topicBytes = MqttStrings.MeasureForWriting(packet.Topic, "PUBLISH topic", Parameter);
        bool hasPacketId = EnsurePublishFlags(packet);
        int propertiesLength = v5 ? Measure(packet.Properties, PropertyContext.Publish, "PUBLISH") : 0;
        long remaining = 2L + topicBytes + (hasPacketId ? 2 : 0) + (v5 ? PropertyEncoder.SectionSize(propertiesLength) : 0) + packet.Payload.Length;
        EnsureRemainingLength(remaining, "PUBLISH");
        byte first = (byte)(0x30 | (packet.Dup ? 0x08 : 0) | ((int)packet.QualityOfService << 1) | (packet.Retain ? 0x01 : 0));
        var cursor = new BufferWriterCursor(output, SizeHint(remaining));
        cursor.WriteFixedHeader(first, (int)remaining);
        cursor.WriteString(packet.Topic, topicBytes);
        if (hasPacketId)
        {
            cursor.WriteUInt16(packet.PacketId);
        }

        if (v5)
        {
            WriteSection(ref cursor, packet.Properties, propertiesLength);
        }

        cursor.WriteBytes(packet.Payload.Span);
        cursor.Commit();
    }

    /// <summary>Checks QoS, packet identifier and DUP agree (both versions); true when the PUBLISH carries an identifier.</summary>
    private static bool EnsurePublishFlags(PublishPacket packet)
    {
        EnsureQualityOfService(packet.QualityOfService, "PUBLISH");
        bool hasPacketId = packet.QualityOfService != MqttQualityOfService.AtMostOnce;
        if (hasPacketId)
        {
            EnsurePacketId(packet.PacketId, "PUBLISH", packet.QualityOfService);
        }
        else if (packet.PacketId != 0)
        {
            throw Invalid($"PUBLISH at QoS 0 carries no packet identifier, but PacketId is {packet.PacketId} [MQTT-2.3.1-5]. Set PacketId to 0 or raise the QoS.");
        }
        else if (packet.Dup)
        {
            throw Invalid("PUBLISH at QoS 0 must not set DUP [MQTT-3.3.1-2]: QoS 0 messages are never re-sent.");
        }

        return hasPacketId;
    }

    private static void WriteIdOnly(byte first, ushort packetId, string name, IBufferWriter<byte> output)
    {
        EnsurePacketId(packetId, name);
        var cursor = new BufferWriterCursor(output, 4);
        cursor.WriteFixedHeader(first, 2);
        cursor.WriteUInt16(packetId);
        cursor.Commit();
    }

    private static void WriteEmpty(byte first, IBufferWriter<byte> output)
    {
        var cursor = new BufferWriterCursor(output, 2);
        cursor.WriteFixedHeader(first, 0);
        cursor.Commit();
    }

    // Ask for the whole packet up front when it is small; large payloads stream through WriteBytes in smaller spans.
    private static int SizeHint(long remaining) => (int)Math.Min(remaining + 5, 4096);
}
