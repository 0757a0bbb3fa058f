using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Protocol.Wire;

// MQTT 5 decodings: the 3.1.1 layouts plus property sections and reason codes, held to spec/'s PropertyTable and
// ReasonCodeTable. Anything they forbid is a protocol error.
internal static partial class PacketDecoder
{
    private static readonly ReasonCodeRow[] ReasonCodes = ReasonCodeTable.CreateRows();

    private static MqttPacket DecodeV5(byte first, ref PacketBodyReader reader)
    {
        var type = (MqttPacketType)(first >> 4);
        return type switch
        {
            MqttPacketType.Connect => ReadConnect(ref reader, MqttProtocolVersion.V500),
            MqttPacketType.ConnAck => ReadConnAckV5(ref reader),
            MqttPacketType.Publish => ReadPublishV5(first, ref reader),
            MqttPacketType.PubAck => ReadAckV5(ref reader, PropertyContext.PubAck, "PUBACK", (id, code, p) => new PubAckPacket(id, code, p)),
            MqttPacketType.PubRec => ReadAckV5(ref reader, PropertyContext.PubRec, "PUBREC", (id, code, p) => new PubRecPacket(id, code, p)),
            MqttPacketType.PubRel => ReadAckV5(ref reader, PropertyContext.PubRel, "PUBREL", (id, code, p) => new PubRelPacket(id, code, p)),
            MqttPacketType.PubComp => ReadAckV5(ref reader, PropertyContext.PubComp, "PUBCOMP", (id, code, p) => new PubCompPacket(id, code, p)),
            MqttPacketType.Subscribe => ReadSubscribe(ref reader, MqttProtocolVersion.V500),
            MqttPacketType.SubAck => ReadCodesV5(ref reader, PropertyContext.SubAck, "SUBACK", (id, codes, p) => new SubAckPacket(id, codes, p)),
            MqttPacketType.Unsubscribe => ReadUnsubscribe(ref reader, MqttProtocolVersion.V500),
            MqttPacketType.UnsubAck => ReadCodesV5(ref reader, PropertyContext.UnsubAck, "UNSUBACK", (id, codes, p) => new UnsubAckPacket(id, codes, p)),
            MqttPacketType.PingReq => PingReqPacket.Instance,
            MqttPacketType.PingResp => PingRespPacket.Instance,
            MqttPacketType.Disconnect => ReadReasonOnlyV5(ref reader, PropertyContext.Disconnect, "DISCONNECT", (code, p) => code == 0 && p is null ? DisconnectPacket.Instance : new DisconnectPacket(code, p)),
            MqttPacketType.Auth => ReadReasonOnlyV5(ref reader, PropertyContext.Auth, "AUTH", (code, p) => new AuthPacket(code, p)),
            _ => throw new MqttProtocolException($"Packet type {(int)type} is reserved [MQTT-2.1.2]."),
        };
    }

    private static ConnAckPacket ReadConnAckV5(ref PacketBodyReader reader)
    {
        byte acknowledgeFlags = reader.ReadByte("acknowledge flags");
        if ((acknowledgeFlags & 0xFE) != 0)
        {
            throw new MqttProtocolException($"CONNACK acknowledge flags are 0x{acknowledgeFlags:X2}; bits 7-1 are reserved and must be 0 [MQTT-3.2.2-1].");
        }

        byte code = ReadReasonCode(ref reader, PropertyContext.ConnAck, "CONNACK");
        bool sessionPresent = acknowledgeFlags == 1;
        if (sessionPresent && code != 0)
        {
            throw new MqttProtocolException($"CONNACK refuses the connection (reason code 0x{code:X2}) yet sets Session Present [MQTT-3.2.2-6].");
        }

        return new ConnAckPacket(sessionPresent, (ConnectReturnCode)code, Section(ref reader, PropertyContext.ConnAck, "CONNACK"));
    }

    private static PublishPacket ReadPublishV5(byte first, ref PacketBodyReader reader)
    {
        var qos = (MqttQualityOfService)((first >> 1) & 0x03);
        string topic = reader.ReadString("topic");
        ushort packetId = qos == MqttQualityOfService.AtMostOnce ? (ushort)0 : reader.ReadPacketId();
        MqttProperties? properties = Section(ref reader, PropertyContext.Publish, "PUBLISH");
        if (topic.Length > 0 || properties?.TopicAlias is null)
        {
            // Empty only when a Topic Alias stands for it [MQTT-3.3.2-8].
            EnsureTopicName(topic, "PUBLISH topic");
        }

        if (properties?.ResponseTopic is { } responseTopic)
        {
            EnsureTopicName(responseTopic, "PUBLISH Response Topic");
        }

        ReadOnlyMemory<byte> payload = reader.ReadRest();
        return new PublishPacket(topic, payload, qos, Retain: (first & 0x01) != 0, Dup: (first & 0x08) != 0, packetId, properties);
    }

    /// <summary>PUBACK, PUBREC, PUBREL, PUBCOMP: a Remaining Length of 2 means success without properties, 3 a code without them.</summary>
    private static MqttPacket ReadAckV5(ref PacketBodyReader reader, PropertyContext context, string name, Func<ushort, byte, MqttProperties?, MqttPacket> create)
    {
        ushort packetId = reader.ReadPacketId();
        byte code = reader.Remaining > 0 ? ReadReasonCode(ref reader, context, name) : (byte)0;
        MqttProperties? properties = reader.Remaining > 0 ? Section(ref reader, context, name) : null;
        return create(packetId, code, properties);
    }

    /// <summary>DISCONNECT and AUTH: an empty body is a success without properties, one byte a code without them.</summary>
    private static MqttPacket ReadReasonOnlyV5(ref PacketBodyReader reader, PropertyContext context, string name, Func<byte, MqttProperties?, MqttPacket> create)
    {
        byte code = reader.Remaining > 0 ? ReadReasonCode(ref reader, context, name) : (byte)0;
        MqttProperties? properties = reader.Remaining > 0 ? Section(ref reader, context, name) : null;
        return create(code, properties);
    }

    private static MqttPacket ReadCodesV5(ref PacketBodyReader reader, PropertyContext context, string name, Func<ushort, byte[], MqttProperties?, MqttPacket> create)
    {
        ushort packetId = reader.ReadPacketId();
        MqttProperties? properties = Section(ref reader, context, name);
        if (reader.Remaining == 0)
        {
            throw new MqttProtocolException($"{name} has no reason codes; it needs one per topic filter of the request [MQTT-3.9.3-1].");
        }

        byte[] codes = new byte[reader.Remaining];
        for (int i = 0; i < codes.Length; i++)
        {
            codes[i] = ReadReasonCode(ref reader, context, name);
        }

        return create(packetId, codes, properties);
    }

    /// <summary>A property section; null when it is empty, so a packet without properties compares equal to one never given any.</summary>
    private static MqttProperties? Section(ref PacketBodyReader reader, PropertyContext context, string name)
    {
        MqttProperties properties = PropertyDecoder.Read(ref reader, context, name);
        return properties.Present().Count == 0 ? null : properties;
    }

    private static byte ReadReasonCode(ref PacketBodyReader reader, PropertyContext context, string name)
    {
        byte code = reader.ReadByte("reason code");
        if (!ReasonCodeTable.IsAllowed(ReasonCodes, code, context))
        {
            throw new MqttProtocolException(ReasonCodeTable.Find(ReasonCodes, code) is { } row
                ? $"{name} carries reason code 0x{code:X2} ({row.Name}), which it may not [MQTT-2.4]: a protocol error."
                : $"{name} carries reason code 0x{code:X2}, which MQTT 5 does not define [MQTT-2.4]: a protocol error.");
        }

        return code;
    }
}
