using System.Buffers;
using System.Globalization;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.Wire;

namespace StateMachineMqtt.Protocol;

/// <summary>
/// Encodes MQTT 3.1.1 packets, both client-to-broker and broker-to-client. Pure: writes bytes into a buffer writer and
/// knows nothing of sockets. It refuses anything <see cref="MqttPacketReader"/> would reject, so whatever it writes decodes.
/// </summary>
public static class MqttPacketWriter
{
    private const string Parameter = "packet";

    /// <summary>
    /// Writes one packet into <paramref name="output"/> (a pooled buffer or a PipeWriter), with no intermediate copy.
    /// Throws ArgumentException, saying what to fix, when the packet cannot be encoded: a string longer than 65,535 UTF-8
    /// bytes, a missing or unexpected packet identifier, an empty subscription list, a packet too large for MQTT, and so on.
    /// Nothing is written when it throws.
    /// </summary>
    public static void Write(MqttPacket packet, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(output);
        switch (packet)
        {
            case ConnectPacket connect: WriteConnect(connect, output); break;
            case ConnAckPacket connAck: WriteConnAck(connAck, output); break;
            case PublishPacket publish: WritePublish(publish, output); break;
            case PubAckPacket ack: WriteIdOnly(0x40, ack.PacketId, "PUBACK", output); break;
            case PubRecPacket ack: WriteIdOnly(0x50, ack.PacketId, "PUBREC", output); break;
            case PubRelPacket ack: WriteIdOnly(0x62, ack.PacketId, "PUBREL", output); break;
            case PubCompPacket ack: WriteIdOnly(0x70, ack.PacketId, "PUBCOMP", output); break;
            case SubscribePacket subscribe: WriteSubscribe(subscribe, output); break;
            case SubAckPacket subAck: WriteSubAck(subAck, output); break;
            case UnsubscribePacket unsubscribe: WriteUnsubscribe(unsubscribe, output); break;
            case UnsubAckPacket ack: WriteIdOnly(0xB0, ack.PacketId, "UNSUBACK", output); break;
            case PingReqPacket: WriteEmpty(0xC0, output); break;
            case PingRespPacket: WriteEmpty(0xD0, output); break;
            case DisconnectPacket: WriteEmpty(0xE0, output); break;
            default:
                throw Invalid($"{packet.GetType().Name} is not an MQTT 3.1.1 packet this writer knows; use the records in StateMachineMqtt.Protocol.Packets.");
        }
    }

    private static void WriteConnect(ConnectPacket packet, IBufferWriter<byte> output)
    {
        int clientIdBytes = MqttStrings.MeasureForWriting(packet.ClientId, "CONNECT client identifier", Parameter);
        if (clientIdBytes == 0 && !packet.CleanSession)
        {
            throw Invalid("CONNECT with an empty client identifier must set CleanSession [MQTT-3.1.3-7]. Give a client identifier or use a clean session.");
        }

        long remaining = 10 + 2 + clientIdBytes; // protocol name (6), level (1), flags (1), keep alive (2)
        byte flags = packet.CleanSession ? (byte)0x02 : (byte)0;
        int willTopicBytes = 0;
        if (packet.Will is { } will)
        {
            TopicValidation.EnsureTopicName(will.Topic, Parameter);
            willTopicBytes = MqttStrings.MeasureForWriting(will.Topic, "CONNECT will topic", Parameter);
            EnsureQualityOfService(will.QualityOfService, "CONNECT will");
            EnsureBinaryLength(will.Payload.Length, "CONNECT will message");
            remaining += 2 + willTopicBytes + 2 + will.Payload.Length;
            flags |= (byte)(0x04 | ((int)will.QualityOfService << 3) | (will.Retain ? 0x20 : 0));
        }

        int userNameBytes = 0;
        if (packet.UserName is not null)
        {
            userNameBytes = MqttStrings.MeasureForWriting(packet.UserName, "CONNECT user name", Parameter);
            remaining += 2 + userNameBytes;
            flags |= 0x80;
        }

        if (packet.Password is { } password)
        {
            if (packet.UserName is null)
            {
                throw Invalid("CONNECT has a password but no user name; MQTT 3.1.1 sends a password only with a user name [MQTT-3.1.2-22]. Set UserName too.");
            }

            EnsureBinaryLength(password.Length, "CONNECT password");
            remaining += 2 + password.Length;
            flags |= 0x40;
        }

        var cursor = new BufferWriterCursor(output, SizeHint(remaining));
        cursor.WriteFixedHeader(0x10, (int)remaining);
        cursor.WriteUInt16(4);
        cursor.WriteBytes("MQTT"u8);
        cursor.WriteByte(4); // protocol level 4 = MQTT 3.1.1
        cursor.WriteByte(flags);
        cursor.WriteUInt16(packet.KeepAliveSeconds);
        cursor.WriteString(packet.ClientId, clientIdBytes);
        if (packet.Will is { } w)
        {
            cursor.WriteString(w.Topic, willTopicBytes);
            cursor.WriteBinary(w.Payload.Span);
        }

        if (packet.UserName is not null)
        {
            cursor.WriteString(packet.UserName, userNameBytes);
        }

        if (packet.Password is { } p)
        {
            cursor.WriteBinary(p.Span);
        }

        cursor.Commit();
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

    private static void WritePublish(PublishPacket packet, IBufferWriter<byte> output)
    {
        TopicValidation.EnsureTopicName(packet.Topic, Parameter);
        int topicBytes = MqttStrings.MeasureForWriting(packet.Topic, "PUBLISH topic", Parameter);
        EnsureQualityOfService(packet.QualityOfService, "PUBLISH");
        bool hasPacketId = packet.QualityOfService != MqttQualityOfService.AtMostOnce;
        if (hasPacketId)
        {
            EnsurePacketId(packet.PacketId, $"PUBLISH at QoS {(int)packet.QualityOfService}");
        }
        else if (packet.PacketId != 0)
        {
            throw Invalid($"PUBLISH at QoS 0 carries no packet identifier, but PacketId is {packet.PacketId} [MQTT-2.3.1-5]. Set PacketId to 0 or raise the QoS.");
        }
        else if (packet.Dup)
        {
            throw Invalid("PUBLISH at QoS 0 must not set DUP [MQTT-3.3.1-2]: QoS 0 messages are never re-sent.");
        }

        long remaining = 2L + topicBytes + (hasPacketId ? 2 : 0) + packet.Payload.Length;
        EnsureRemainingLength(remaining, "PUBLISH");
        byte first = (byte)(0x30 | (packet.Dup ? 0x08 : 0) | ((int)packet.QualityOfService << 1) | (packet.Retain ? 0x01 : 0));
        var cursor = new BufferWriterCursor(output, SizeHint(remaining));
        cursor.WriteFixedHeader(first, (int)remaining);
        cursor.WriteString(packet.Topic, topicBytes);
        if (hasPacketId)
        {
            cursor.WriteUInt16(packet.PacketId);
        }

        cursor.WriteBytes(packet.Payload.Span);
        cursor.Commit();
    }

    private static void WriteSubscribe(SubscribePacket packet, IBufferWriter<byte> output)
    {
        EnsurePacketId(packet.PacketId, "SUBSCRIBE");
        if (packet.Subscriptions is null || packet.Subscriptions.Count == 0)
        {
            throw Invalid("SUBSCRIBE needs at least one topic filter [MQTT-3.8.3-3].");
        }

        int count = packet.Subscriptions.Count;
        int[] filterBytes = ArrayPool<int>.Shared.Rent(count);
        try
        {
            long remaining = 2;
            for (int i = 0; i < count; i++)
            {
                TopicSubscription subscription = packet.Subscriptions[i]
                    ?? throw Invalid($"SUBSCRIBE subscription {i} is null.");
                TopicValidation.EnsureTopicFilter(subscription.TopicFilter, Parameter);
                filterBytes[i] = MqttStrings.MeasureForWriting(subscription.TopicFilter, "SUBSCRIBE topic filter", Parameter);
                EnsureQualityOfService(subscription.QualityOfService, $"SUBSCRIBE to \"{subscription.TopicFilter}\"");
                remaining += 2 + filterBytes[i] + 1;
            }

            EnsureRemainingLength(remaining, "SUBSCRIBE");
            var cursor = new BufferWriterCursor(output, SizeHint(remaining));
            cursor.WriteFixedHeader(0x82, (int)remaining);
            cursor.WriteUInt16(packet.PacketId);
            for (int i = 0; i < count; i++)
            {
                cursor.WriteString(packet.Subscriptions[i].TopicFilter, filterBytes[i]);
                cursor.WriteByte((byte)packet.Subscriptions[i].QualityOfService);
            }

            cursor.Commit();
        }
        finally
        {
            ArrayPool<int>.Shared.Return(filterBytes);
        }
    }

    private static void WriteSubAck(SubAckPacket packet, IBufferWriter<byte> output)
    {
        EnsurePacketId(packet.PacketId, "SUBACK");
        if (packet.ReturnCodes is null || packet.ReturnCodes.Count == 0)
        {
            throw Invalid("SUBACK needs one return code per topic filter of the SUBSCRIBE it answers, so at least one [MQTT-3.9.3-1].");
        }

        int count = packet.ReturnCodes.Count;
        for (int i = 0; i < count; i++)
        {
            byte code = packet.ReturnCodes[i];
            if (code > 2 && code != SubAckPacket.Failure)
            {
                throw Invalid($"SUBACK return code 0x{code:X2} (index {i}) is reserved; use 0, 1, 2 (granted QoS) or 0x80 (failure) [MQTT-3.9.3-2].");
            }
        }

        long remaining = 2L + count;
        EnsureRemainingLength(remaining, "SUBACK");
        var cursor = new BufferWriterCursor(output, SizeHint(remaining));
        cursor.WriteFixedHeader(0x90, (int)remaining);
        cursor.WriteUInt16(packet.PacketId);
        for (int i = 0; i < count; i++)
        {
            cursor.WriteByte(packet.ReturnCodes[i]);
        }

        cursor.Commit();
    }

    private static void WriteUnsubscribe(UnsubscribePacket packet, IBufferWriter<byte> output)
    {
        EnsurePacketId(packet.PacketId, "UNSUBSCRIBE");
        if (packet.TopicFilters is null || packet.TopicFilters.Count == 0)
        {
            throw Invalid("UNSUBSCRIBE needs at least one topic filter [MQTT-3.10.3-2].");
        }

        int count = packet.TopicFilters.Count;
        int[] filterBytes = ArrayPool<int>.Shared.Rent(count);
        try
        {
            long remaining = 2;
            for (int i = 0; i < count; i++)
            {
                TopicValidation.EnsureTopicFilter(packet.TopicFilters[i], Parameter);
                filterBytes[i] = MqttStrings.MeasureForWriting(packet.TopicFilters[i], "UNSUBSCRIBE topic filter", Parameter);
                remaining += 2 + filterBytes[i];
            }

            EnsureRemainingLength(remaining, "UNSUBSCRIBE");
            var cursor = new BufferWriterCursor(output, SizeHint(remaining));
            cursor.WriteFixedHeader(0xA2, (int)remaining);
            cursor.WriteUInt16(packet.PacketId);
            for (int i = 0; i < count; i++)
            {
                cursor.WriteString(packet.TopicFilters[i], filterBytes[i]);
            }

            cursor.Commit();
        }
        finally
        {
            ArrayPool<int>.Shared.Return(filterBytes);
        }
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

    private static void EnsurePacketId(ushort packetId, string what)
    {
        if (packetId == 0)
        {
            throw Invalid($"{what} needs a non-zero packet identifier [MQTT-2.3.1-1]. Allocate one from 1 to 65,535.");
        }
    }

    private static void EnsureQualityOfService(MqttQualityOfService qos, string what)
    {
        if (!Enum.IsDefined(qos))
        {
            throw Invalid($"{what}: QoS {(int)qos} does not exist; use 0, 1 or 2 [MQTT-4.3].");
        }
    }

    private static void EnsureBinaryLength(int length, string what)
    {
        if (length > MqttStrings.MaximumByteCount)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"The {what} is {length:N0} bytes; its two-byte length prefix allows at most 65,535 [MQTT-1.5.2]. Shorten it."));
        }
    }

    private static void EnsureRemainingLength(long remaining, string what)
    {
        if (remaining > RemainingLength.Maximum)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"{what} would be {remaining:N0} bytes after its fixed header; MQTT allows at most 268,435,455 [MQTT-2.2.3]. Send less data per packet."));
        }
    }

    // The helpers above blame Write's "packet" argument, which CA2208 cannot see from inside them.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly", Justification = "Blames Write's packet argument.")]
    private static ArgumentException Invalid(string message) => new(message, Parameter);

    // Ask for the whole packet up front when it is small; large payloads stream through WriteBytes in smaller spans.
    private static int SizeHint(long remaining) => (int)Math.Min(remaining + 5, 4096);
}
