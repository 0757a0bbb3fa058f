using System.Buffers;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.Protocol.Wire;

/// <summary>
/// Turns one framed packet (first header byte, already checked, plus its body) into a packet record, enforcing the
/// spec's rules for each packet's content. Throws only MqttProtocolException.
/// </summary>
internal static class PacketDecoder
{
    /// <summary>Decodes a body that may span several buffer segments.</summary>
    public static MqttPacket Decode(byte first, in ReadOnlySequence<byte> body)
    {
        if (body.IsSingleSegment)
        {
            return Decode(first, body.FirstSpan);
        }

        // A packet split across segments is copied once into a pooled buffer so fields can be read as spans.
        int length = (int)body.Length;
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            body.CopyTo(rented);
            return Decode(first, rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Decodes a contiguous body.</summary>
    public static MqttPacket Decode(byte first, ReadOnlySpan<byte> body)
    {
        var type = (MqttPacketType)(first >> 4);
        var reader = new PacketBodyReader(body, PacketNames.Of(type));
        MqttPacket packet = type switch
        {
            MqttPacketType.Connect => ReadConnect(ref reader),
            MqttPacketType.ConnAck => ReadConnAck(ref reader),
            MqttPacketType.Publish => ReadPublish(first, ref reader),
            MqttPacketType.PubAck => new PubAckPacket(reader.ReadPacketId()),
            MqttPacketType.PubRec => new PubRecPacket(reader.ReadPacketId()),
            MqttPacketType.PubRel => new PubRelPacket(reader.ReadPacketId()),
            MqttPacketType.PubComp => new PubCompPacket(reader.ReadPacketId()),
            MqttPacketType.Subscribe => ReadSubscribe(ref reader),
            MqttPacketType.SubAck => ReadSubAck(ref reader),
            MqttPacketType.Unsubscribe => ReadUnsubscribe(ref reader),
            MqttPacketType.UnsubAck => new UnsubAckPacket(reader.ReadPacketId()),
            MqttPacketType.PingReq => PingReqPacket.Instance,
            MqttPacketType.PingResp => PingRespPacket.Instance,
            MqttPacketType.Disconnect => DisconnectPacket.Instance,
            _ => throw new MqttProtocolException($"Packet type {(int)type} is reserved [MQTT-2.2.1]."),
        };
        reader.EnsureEnd();
        return packet;
    }

    private static ConnectPacket ReadConnect(ref PacketBodyReader reader)
    {
        ReadOnlySpan<byte> protocolName = reader.ReadBinarySpan("protocol name");
        if (!protocolName.SequenceEqual("MQTT"u8))
        {
            string shown = System.Text.Unicode.Utf8.IsValid(protocolName) ? System.Text.Encoding.UTF8.GetString(protocolName) : "(not UTF-8)";
            throw new MqttProtocolException($"CONNECT protocol name is \"{shown}\", not \"MQTT\" [MQTT-3.1.2-1]: this peer does not speak MQTT 3.1.1.");
        }

        byte level = reader.ReadByte("protocol level");
        if (level != 4)
        {
            throw new MqttProtocolException($"CONNECT protocol level is {level}; MQTT 3.1.1 is level 4 [MQTT-3.1.2-2]. Answer with CONNACK 0x01 (unacceptable protocol version).");
        }

        byte flags = reader.ReadByte("connect flags");
        if ((flags & 0x01) != 0)
        {
            throw new MqttProtocolException("CONNECT flags have the reserved bit 0 set [MQTT-3.1.2-3].");
        }

        bool hasWill = (flags & 0x04) != 0;
        int willQos = (flags >> 3) & 0x03;
        bool willRetain = (flags & 0x20) != 0;
        bool hasPassword = (flags & 0x40) != 0;
        bool hasUserName = (flags & 0x80) != 0;
        if (!hasWill && (willQos != 0 || willRetain))
        {
            throw new MqttProtocolException("CONNECT flags set will QoS or will retain without the will flag [MQTT-3.1.2-11/13/15].");
        }

        if (willQos == 3)
        {
            throw new MqttProtocolException("CONNECT will QoS is 3, which does not exist [MQTT-3.1.2-14].");
        }

        if (hasPassword && !hasUserName)
        {
            throw new MqttProtocolException("CONNECT flags set the password flag without the user name flag [MQTT-3.1.2-22].");
        }

        ushort keepAlive = reader.ReadUInt16("keep alive");
        string clientId = reader.ReadString("client identifier");
        MqttWill? will = null;
        if (hasWill)
        {
            string topic = reader.ReadString("will topic");
            EnsureTopicName(topic, "CONNECT will topic");
            ReadOnlyMemory<byte> message = reader.ReadBinary("will message");
            will = new MqttWill(topic, message, (MqttQualityOfService)willQos, willRetain);
        }

        string? userName = hasUserName ? reader.ReadString("user name") : null;
        // The cast matters: a bare null would convert to an empty ReadOnlyMemory (via byte[]) and read as "password present".
        ReadOnlyMemory<byte>? password = hasPassword ? reader.ReadBinary("password") : (ReadOnlyMemory<byte>?)null;
        return new ConnectPacket(clientId, (flags & 0x02) != 0, keepAlive, userName, password, will);
    }

    private static ConnAckPacket ReadConnAck(ref PacketBodyReader reader)
    {
        byte acknowledgeFlags = reader.ReadByte("acknowledge flags");
        if ((acknowledgeFlags & 0xFE) != 0)
        {
            throw new MqttProtocolException($"CONNACK acknowledge flags are 0x{acknowledgeFlags:X2}; bits 7-1 are reserved and must be 0 [MQTT-3.2.2.1].");
        }

        byte code = reader.ReadByte("return code");
        if (code > (byte)ConnectReturnCode.NotAuthorized)
        {
            throw new MqttProtocolException($"CONNACK return code {code} is reserved; MQTT 3.1.1 defines 0 to 5 [MQTT-3.2.2.3].");
        }

        bool sessionPresent = acknowledgeFlags == 1;
        if (sessionPresent && code != 0)
        {
            throw new MqttProtocolException($"CONNACK refuses the connection (return code {code}) yet sets session present [MQTT-3.2.2-4].");
        }

        return new ConnAckPacket(sessionPresent, (ConnectReturnCode)code);
    }

    private static PublishPacket ReadPublish(byte first, ref PacketBodyReader reader)
    {
        var qos = (MqttQualityOfService)((first >> 1) & 0x03);
        string topic = reader.ReadString("topic");
        EnsureTopicName(topic, "PUBLISH topic");
        ushort packetId = qos == MqttQualityOfService.AtMostOnce ? (ushort)0 : reader.ReadPacketId();
        ReadOnlyMemory<byte> payload = reader.ReadRest();
        return new PublishPacket(topic, payload, qos, Retain: (first & 0x01) != 0, Dup: (first & 0x08) != 0, packetId);
    }

    private static SubscribePacket ReadSubscribe(ref PacketBodyReader reader)
    {
        ushort packetId = reader.ReadPacketId();
        var subscriptions = new List<TopicSubscription>();
        while (reader.Remaining > 0)
        {
            string filter = reader.ReadString("topic filter");
            EnsureTopicFilter(filter, "SUBSCRIBE");
            byte requested = reader.ReadByte("requested QoS");
            if (requested > 2)
            {
                throw new MqttProtocolException($"SUBSCRIBE requested QoS byte for \"{filter}\" is 0x{requested:X2}; it must be 0, 1 or 2 with the upper 6 bits 0 [MQTT-3.8.3-4].");
            }

            subscriptions.Add(new TopicSubscription(filter, (MqttQualityOfService)requested));
        }

        if (subscriptions.Count == 0)
        {
            throw new MqttProtocolException("SUBSCRIBE has no topic filters; it needs at least one [MQTT-3.8.3-3].");
        }

        return new SubscribePacket(packetId, subscriptions.ToArray());
    }

    private static SubAckPacket ReadSubAck(ref PacketBodyReader reader)
    {
        ushort packetId = reader.ReadPacketId();
        if (reader.Remaining == 0)
        {
            throw new MqttProtocolException("SUBACK has no return codes; it needs one per topic filter subscribed [MQTT-3.9.3-1].");
        }

        byte[] codes = new byte[reader.Remaining];
        for (int i = 0; i < codes.Length; i++)
        {
            byte code = reader.ReadByte("return code");
            if (code > 2 && code != SubAckPacket.Failure)
            {
                throw new MqttProtocolException($"SUBACK return code 0x{code:X2} is reserved; allowed are 0x00, 0x01, 0x02 and 0x80 [MQTT-3.9.3-2].");
            }

            codes[i] = code;
        }

        return new SubAckPacket(packetId, codes);
    }

    private static UnsubscribePacket ReadUnsubscribe(ref PacketBodyReader reader)
    {
        ushort packetId = reader.ReadPacketId();
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

        return new UnsubscribePacket(packetId, filters.ToArray());
    }

    private static void EnsureTopicName(string topic, string what)
    {
        if (topic.Length == 0)
        {
            throw new MqttProtocolException($"{what} is empty; topic names must be at least one character [MQTT-4.7.3-1].");
        }

        if (TopicRules.HasWildcard(topic))
        {
            throw new MqttProtocolException($"{what} \"{topic}\" contains a wildcard ('+' or '#'), which only topic filters may [MQTT-3.3.2-2].");
        }
    }

    private static void EnsureTopicFilter(string filter, string packetName)
    {
        if (filter.Length == 0)
        {
            throw new MqttProtocolException($"{packetName} has an empty topic filter; filters must be at least one character [MQTT-4.7.3-1].");
        }

        switch (TopicRules.FindFilterProblem(filter))
        {
            case TopicFilterProblem.MisplacedMultiLevelWildcard:
                throw new MqttProtocolException($"{packetName} topic filter \"{filter}\" has a '#' that is not a whole, last level [MQTT-4.7.1-2].");
            case TopicFilterProblem.PartialSingleLevelWildcard:
                throw new MqttProtocolException($"{packetName} topic filter \"{filter}\" has a '+' that does not fill a whole level [MQTT-4.7.1-3].");
            case TopicFilterProblem.None:
                break;
        }
    }
}
