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
            MqttPacketType.Connect => ReadConnectV5(ref reader),
            MqttPacketType.ConnAck => ReadConnAckV5(ref reader),
            MqttPacketType.Publish => ReadPublishV5(first, ref reader),
            MqttPacketType.PubAck => ReadAckV5(ref reader, PropertyContext.PubAck, "PUBACK", (id, code, p) => new PubAckPacket(id, code, p)),
            MqttPacketType.PubRec => ReadAckV5(ref reader, PropertyContext.PubRec, "PUBREC", (id, code, p) => new PubRecPacket(id, code, p)),
            MqttPacketType.PubRel => ReadAckV5(ref reader, PropertyContext.PubRel, "PUBREL", (id, code, p) => new PubRelPacket(id, code, p)),
            MqttPacketType.PubComp => ReadAckV5(ref reader, PropertyContext.PubComp, "PUBCOMP", (id, code, p) => new PubCompPacket(id, code, p)),
            MqttPacketType.Subscribe => ReadSubscribeV5(ref reader),
            MqttPacketType.SubAck => ReadCodesV5(ref reader, PropertyContext.SubAck, "SUBACK", (id, codes, p) => new SubAckPacket(id, codes, p)),
            MqttPacketType.Unsubscribe => ReadUnsubscribeV5(ref reader),
            MqttPacketType.UnsubAck => ReadCodesV5(ref reader, PropertyContext.UnsubAck, "UNSUBACK", (id, codes, p) => new UnsubAckPacket(id, codes, p)),
            MqttPacketType.PingReq => PingReqPacket.Instance,
            MqttPacketType.PingResp => PingRespPacket.Instance,
            MqttPacketType.Disconnect => ReadReasonOnlyV5(ref reader, PropertyContext.Disconnect, "DISCONNECT", (code, p) => code == 0 && p is null ? DisconnectPacket.Instance : new DisconnectPacket(code, p)),
            MqttPacketType.Auth => ReadReasonOnlyV5(ref reader, PropertyContext.Auth, "AUTH", (code, p) => new AuthPacket(code, p)),
            _ => throw new MqttProtocolException($"Packet type {(int)type} is reserved [MQTT-2.1.2]."),
        };
    }

    private static ConnectPacket ReadConnectV5(ref PacketBodyReader reader)
    {
        ReadOnlySpan<byte> protocolName = reader.ReadBinarySpan("protocol name");
        if (!protocolName.SequenceEqual("MQTT"u8))
        {
            throw new MqttProtocolException("CONNECT protocol name is not \"MQTT\" [MQTT-3.1.2-1].");
        }

        byte level = reader.ReadByte("protocol level");
        if (level != 5)
        {
            throw new MqttProtocolException($"CONNECT protocol level is {level}; MQTT 5 is level 5 [MQTT-3.1.2-2]. Answer with CONNACK 0x84 (unsupported protocol version).");
        }

        byte flags = reader.ReadByte("connect flags");
        if ((flags & 0x01) != 0)
        {
            throw new MqttProtocolException("CONNECT flags have the reserved bit 0 set [MQTT-3.1.2-3].");
        }

        bool hasWill = (flags & 0x04) != 0;
        int willQos = (flags >> 3) & 0x03;
        bool willRetain = (flags & 0x20) != 0;
        if (!hasWill && (willQos != 0 || willRetain))
        {
            throw new MqttProtocolException("CONNECT flags set will QoS or will retain without the will flag [MQTT-3.1.2-11/13].");
        }

        if (willQos == 3)
        {
            throw new MqttProtocolException("CONNECT will QoS is 3, which does not exist [MQTT-3.1.2-12].");
        }

        ushort keepAlive = reader.ReadUInt16("keep alive");
        MqttProperties? properties = Section(ref reader, PropertyContext.Connect, "CONNECT");
        string clientId = reader.ReadString("client identifier");
        MqttWill? will = null;
        if (hasWill)
        {
            MqttProperties? willProperties = Section(ref reader, PropertyContext.Will, "CONNECT will");
            string topic = reader.ReadString("will topic");
            EnsureTopicName(topic, "CONNECT will topic");
            ReadOnlyMemory<byte> message = reader.ReadBinary("will payload");
            will = new MqttWill(topic, message, (MqttQualityOfService)willQos, willRetain, willProperties);
        }

        string? userName = (flags & 0x80) != 0 ? reader.ReadString("user name") : null;
        ReadOnlyMemory<byte>? password = (flags & 0x40) != 0 ? reader.ReadBinary("password") : (ReadOnlyMemory<byte>?)null;
        return new ConnectPacket(clientId, (flags & 0x02) != 0, keepAlive, userName, password, will, properties);
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

    private static SubscribePacket ReadSubscribeV5(ref PacketBodyReader reader)
    {
        ushort packetId = reader.ReadPacketId();
        MqttProperties? properties = Section(ref reader, PropertyContext.Subscribe, "SUBSCRIBE");
        var subscriptions = new List<TopicSubscription>();
        while (reader.Remaining > 0)
        {
            string filter = reader.ReadString("topic filter");
            EnsureTopicFilter(filter, "SUBSCRIBE");
            byte options = reader.ReadByte("subscription options");
            int qos = options & 0x03;
            int retainHandling = (options >> 4) & 0x03;
            if (qos == 3 || retainHandling == 3 || (options & 0xC0) != 0)
            {
                throw new MqttProtocolException($"SUBSCRIBE options byte for \"{filter}\" is 0x{options:X2}: QoS 3, Retain Handling 3 or a reserved bit set [MQTT-3.8.3-5].");
            }

            subscriptions.Add(new TopicSubscription(filter, (MqttQualityOfService)qos, (options & 0x04) != 0, (options & 0x08) != 0, retainHandling));
        }

        if (subscriptions.Count == 0)
        {
            throw new MqttProtocolException("SUBSCRIBE has no topic filters; it needs at least one [MQTT-3.8.3-2].");
        }

        return new SubscribePacket(packetId, subscriptions.ToArray(), properties);
    }

    private static UnsubscribePacket ReadUnsubscribeV5(ref PacketBodyReader reader)
    {
        ushort packetId = reader.ReadPacketId();
        MqttProperties? properties = Section(ref reader, PropertyContext.Unsubscribe, "UNSUBSCRIBE");
        var filters = new List<string>();
        while (reader.Remaining > 0)
        {
            string filter = reader.ReadString("topic filter");
            EnsureTopicFilter(filter, "UNSUBSCRIBE");
            filters.Add(filter);
        }

        if (filters.Count == 0)
        {
            throw new MqttProtocolException("UNSUBSCRIBE has no topic filters; it needs at least one [MQTT-3.10.3-2].");
        }

        return new UnsubscribePacket(packetId, filters.ToArray(), properties);
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
