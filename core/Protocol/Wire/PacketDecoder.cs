using StateMachineMqtt.Spec;
using System.Buffers;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.Protocol.Wire;

/// <summary>
/// Turns one framed packet (first header byte, already checked, plus its body) into a packet record, enforcing the
/// spec's rules for each packet's content. Throws only MqttProtocolException.
/// </summary>
internal static partial class PacketDecoder
{
    /// <summary>Decodes a body that may span several buffer segments.</summary>
    public static MqttPacket Decode(byte first, in ReadOnlySequence<byte> body, MqttProtocolVersion version = MqttProtocolVersion.V311)
    {
        if (body.IsSingleSegment)
        {
            return Decode(first, body.FirstSpan, version);
        }

        // A packet split across segments is copied once into a pooled buffer so fields can be read as spans.
        int length = (int)body.Length;
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            body.CopyTo(rented);
            return Decode(first, rented.AsSpan(0, length), version);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Decodes a contiguous body, as <paramref name="version"/> lays it out.</summary>
    public static MqttPacket Decode(byte first, ReadOnlySpan<byte> body, MqttProtocolVersion version = MqttProtocolVersion.V311)
    {
        var type = (MqttPacketType)(first >> 4);
        var reader = new PacketBodyReader(body, PacketNames.Of(type));
        MqttPacket packet = version == MqttProtocolVersion.V500 ? DecodeV5(first, ref reader) : type switch
        {
            MqttPacketType.Connect => ReadConnect(ref reader, MqttProtocolVersion.V311),
            MqttPacketType.ConnAck => ReadConnAck(ref reader),
            MqttPacketType.Publish => ReadPublish(first, ref reader),
            MqttPacketType.PubAck => new PubAckPacket(reader.ReadPacketId()),
            MqttPacketType.PubRec => new PubRecPacket(reader.ReadPacketId()),
            MqttPacketType.PubRel => new PubRelPacket(reader.ReadPacketId()),
            MqttPacketType.PubComp => new PubCompPacket(reader.ReadPacketId()),
            MqttPacketType.Subscribe => ReadSubscribe(ref reader, MqttProtocolVersion.V311),
            MqttPacketType.SubAck => ReadSubAck(ref reader),
            MqttPacketType.Unsubscribe => ReadUnsubscribe(ref reader, MqttProtocolVersion.V311),
            MqttPacketType.UnsubAck => new UnsubAckPacket(reader.ReadPacketId()),
            MqttPacketType.PingReq => PingReqPacket.Instance,
            MqttPacketType.PingResp => PingRespPacket.Instance,
            MqttPacketType.Disconnect => DisconnectPacket.Instance,
            _ => throw new MqttProtocolException($"Packet type {(int)type} is reserved [MQTT-2.2.1]."),
        };
        reader.EnsureEnd();
        return packet;
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

    /// <summary>
    /// Decodes the variable header of a PUBLISH too large to take — topic and, at QoS 1 and 2, packet identifier — held to
    /// the same rules as a whole PUBLISH's, so a malformed one is still a protocol violation.
    /// </summary>
    public static OversizedPublishPacket DecodeOversizedPublish(byte first, in ReadOnlySequence<byte> variableHeader, int packetSize, int bodyToSkip)
    {
        // At most the maximum packet size (the reader checked): copied once, as a split packet is.
        byte[] bytes = variableHeader.ToArray();
        var reader = new PacketBodyReader(bytes, "PUBLISH");
        var qos = (MqttQualityOfService)((first >> 1) & 0x03);
        string topic = reader.ReadString("topic");
        EnsureTopicName(topic, "PUBLISH topic");
        ushort packetId = qos == MqttQualityOfService.AtMostOnce ? (ushort)0 : reader.ReadPacketId();
        reader.EnsureEnd();
        return new OversizedPublishPacket(topic, qos, Retain: (first & 0x01) != 0, Dup: (first & 0x08) != 0, packetId, packetSize, bodyToSkip);
    }

    private static void EnsureTopicName(string topic, string what)
    {
        switch (TopicRules.FindNameProblem(topic))
        {
            case TopicNameProblem.Empty:
                throw new MqttProtocolException($"{what} is empty; topic names must be at least one character [MQTT-4.7.3-1].");
            case TopicNameProblem.Wildcard:
                throw new MqttProtocolException($"{what} \"{topic}\" contains a wildcard ('+' or '#'), which only topic filters may [MQTT-3.3.2-2].");
            case TopicNameProblem.NullCharacter:
                throw new MqttProtocolException($"{what} contains the null character U+0000 [MQTT-1.5.3-2].");
            case TopicNameProblem.None:
                break;
        }
    }
}
