using System.Buffers;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Protocol.Wire;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Protocol;

// MQTT 5 encodings: the 3.1.1 layouts plus a property section and reason codes, each held to spec/'s tables before a
// byte is written.
internal static partial class MqttPacketWriter
{
    private static readonly ReasonCodeRow[] ReasonCodes = ReasonCodeTable.CreateRows();

    private static void WriteV5(MqttPacket packet, IBufferWriter<byte> output)
    {
        switch (packet)
        {
            case ConnectPacket connect: WriteConnectV5(connect, output); break;
            case ConnAckPacket connAck: WriteConnAckV5(connAck, output); break;
            case PublishPacket publish: WritePublishV5(publish, output); break;
            case PubAckPacket a: WriteAckV5(0x40, a.PacketId, a.ReasonCode, a.Properties, PropertyContext.PubAck, "PUBACK", output); break;
            case PubRecPacket a: WriteAckV5(0x50, a.PacketId, a.ReasonCode, a.Properties, PropertyContext.PubRec, "PUBREC", output); break;
            case PubRelPacket a: WriteAckV5(0x62, a.PacketId, a.ReasonCode, a.Properties, PropertyContext.PubRel, "PUBREL", output); break;
            case PubCompPacket a: WriteAckV5(0x70, a.PacketId, a.ReasonCode, a.Properties, PropertyContext.PubComp, "PUBCOMP", output); break;
            case SubscribePacket subscribe: WriteSubscribeV5(subscribe, output); break;
            case SubAckPacket subAck: WriteCodesV5(0x90, subAck.PacketId, subAck.ReturnCodes, subAck.Properties, PropertyContext.SubAck, "SUBACK", output); break;
            case UnsubscribePacket unsubscribe: WriteUnsubscribeV5(unsubscribe, output); break;
            case UnsubAckPacket unsubAck: WriteCodesV5(0xB0, unsubAck.PacketId, unsubAck.ReasonCodes, unsubAck.Properties, PropertyContext.UnsubAck, "UNSUBACK", output); break;
            case PingReqPacket: WriteEmpty(0xC0, output); break;
            case PingRespPacket: WriteEmpty(0xD0, output); break;
            case DisconnectPacket d: WriteReasonOnlyV5(0xE0, d.ReasonCode, d.Properties, PropertyContext.Disconnect, "DISCONNECT", output); break;
            case AuthPacket a: WriteReasonOnlyV5(0xF0, a.ReasonCode, a.Properties, PropertyContext.Auth, "AUTH", output); break;
            default:
                throw Invalid($"{packet.GetType().Name} is not an MQTT 5 packet this writer knows; use the records in StateMachineMqtt.Protocol.Packets.");
        }
    }

    private static void WriteConnectV5(ConnectPacket packet, IBufferWriter<byte> output)
    {
        // MQTT 5 allows an empty client identifier with Clean Start off: the server assigns one [MQTT-3.1.3-6].
        int clientIdBytes = MqttStrings.MeasureForWriting(packet.ClientId, "CONNECT client identifier", Parameter);
        int propertiesLength = Measure(packet.Properties, PropertyContext.Connect, "CONNECT");
        long remaining = 10 + PropertyEncoder.SectionSize(propertiesLength) + 2 + clientIdBytes;
        byte flags = packet.CleanSession ? (byte)0x02 : (byte)0;
        int willTopicBytes = 0;
        int willPropertiesLength = 0;
        if (packet.Will is { } will)
        {
            TopicValidation.EnsureTopicName(will.Topic, Parameter);
            willTopicBytes = MqttStrings.MeasureForWriting(will.Topic, "CONNECT will topic", Parameter);
            EnsureQualityOfService(will.QualityOfService, "CONNECT will");
            EnsureBinaryLength(will.Payload.Length, "CONNECT will message");
            willPropertiesLength = Measure(will.Properties, PropertyContext.Will, "CONNECT will");
            remaining += PropertyEncoder.SectionSize(willPropertiesLength) + 2 + willTopicBytes + 2 + will.Payload.Length;
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
            // Unlike 3.1.1, MQTT 5 lets a password go without a user name [MQTT-3.1.2-19].
            EnsureBinaryLength(password.Length, "CONNECT password");
            remaining += 2 + password.Length;
            flags |= 0x40;
        }

        EnsureRemainingLength(remaining, "CONNECT");
        var cursor = new BufferWriterCursor(output, SizeHint(remaining));
        cursor.WriteFixedHeader(0x10, (int)remaining);
        cursor.WriteUInt16(4);
        cursor.WriteBytes("MQTT"u8);
        cursor.WriteByte(5); // protocol level 5 = MQTT 5.0
        cursor.WriteByte(flags);
        cursor.WriteUInt16(packet.KeepAliveSeconds);
        WriteSection(ref cursor, packet.Properties, propertiesLength);
        cursor.WriteString(packet.ClientId, clientIdBytes);
        if (packet.Will is { } w)
        {
            WriteSection(ref cursor, w.Properties, willPropertiesLength);
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

    private static void WriteConnAckV5(ConnAckPacket packet, IBufferWriter<byte> output)
    {
        byte code = (byte)packet.ReturnCode;
        EnsureReasonCode(code, PropertyContext.ConnAck, "CONNACK");
        if (packet.SessionPresent && code != 0)
        {
            throw Invalid($"CONNACK refusing the connection (reason code 0x{code:X2}) must not set Session Present [MQTT-3.2.2-6].");
        }

        int propertiesLength = Measure(packet.Properties, PropertyContext.ConnAck, "CONNACK");
        long remaining = 2 + PropertyEncoder.SectionSize(propertiesLength);
        EnsureRemainingLength(remaining, "CONNACK");
        var cursor = new BufferWriterCursor(output, SizeHint(remaining));
        cursor.WriteFixedHeader(0x20, (int)remaining);
        cursor.WriteByte(packet.SessionPresent ? (byte)1 : (byte)0);
        cursor.WriteByte(code);
        WriteSection(ref cursor, packet.Properties, propertiesLength);
        cursor.Commit();
    }

    private static void WritePublishV5(PublishPacket packet, IBufferWriter<byte> output)
    {
        // An empty topic is allowed only when a Topic Alias names it [MQTT-3.3.2-8].
        if (packet.Topic is not "" || packet.Properties?.TopicAlias is null)
        {
            TopicValidation.EnsureTopicName(packet.Topic, Parameter);
        }

        int topicBytes = MqttStrings.MeasureForWriting(packet.Topic, "PUBLISH topic", Parameter);
        EnsureQualityOfService(packet.QualityOfService, "PUBLISH");
        bool hasPacketId = packet.QualityOfService != MqttQualityOfService.AtMostOnce;
        if (hasPacketId)
        {
            EnsurePacketId(packet.PacketId, $"PUBLISH at QoS {(int)packet.QualityOfService}");
        }
        else if (packet.PacketId != 0)
        {
            throw Invalid($"PUBLISH at QoS 0 carries no packet identifier, but PacketId is {packet.PacketId} [MQTT-2.2.1-2]. Set PacketId to 0 or raise the QoS.");
        }
        else if (packet.Dup)
        {
            throw Invalid("PUBLISH at QoS 0 must not set DUP [MQTT-3.3.1-2]: QoS 0 messages are never re-sent.");
        }

        int propertiesLength = Measure(packet.Properties, PropertyContext.Publish, "PUBLISH");
        long remaining = 2L + topicBytes + (hasPacketId ? 2 : 0) + PropertyEncoder.SectionSize(propertiesLength) + packet.Payload.Length;
        EnsureRemainingLength(remaining, "PUBLISH");
        byte first = (byte)(0x30 | (packet.Dup ? 0x08 : 0) | ((int)packet.QualityOfService << 1) | (packet.Retain ? 0x01 : 0));
        var cursor = new BufferWriterCursor(output, SizeHint(remaining));
        cursor.WriteFixedHeader(first, (int)remaining);
        cursor.WriteString(packet.Topic, topicBytes);
        if (hasPacketId)
        {
            cursor.WriteUInt16(packet.PacketId);
        }

        WriteSection(ref cursor, packet.Properties, propertiesLength);
        cursor.WriteBytes(packet.Payload.Span);
        cursor.Commit();
    }

    /// <summary>PUBACK, PUBREC, PUBREL, PUBCOMP: the reason code and properties are left out when they say nothing [MQTT-3.4.2.1].</summary>
    private static void WriteAckV5(byte first, ushort packetId, byte reasonCode, MqttProperties? properties, PropertyContext context, string name, IBufferWriter<byte> output)
    {
        EnsurePacketId(packetId, name);
        EnsureReasonCode(reasonCode, context, name);
        int propertiesLength = Measure(properties, context, name);
        int remaining = propertiesLength > 0 ? 3 + PropertyEncoder.SectionSize(propertiesLength) : reasonCode != 0 ? 3 : 2;
        EnsureRemainingLength(remaining, name);
        var cursor = new BufferWriterCursor(output, SizeHint(remaining));
        cursor.WriteFixedHeader(first, remaining);
        cursor.WriteUInt16(packetId);
        if (remaining > 2)
        {
            cursor.WriteByte(reasonCode);
        }

        if (propertiesLength > 0)
        {
            WriteSection(ref cursor, properties, propertiesLength);
        }

        cursor.Commit();
    }

    /// <summary>DISCONNECT and AUTH: nothing at all for a plain success with no properties [MQTT-3.14.2.1], [MQTT-3.15.2.1].</summary>
    private static void WriteReasonOnlyV5(byte first, byte reasonCode, MqttProperties? properties, PropertyContext context, string name, IBufferWriter<byte> output)
    {
        EnsureReasonCode(reasonCode, context, name);
        int propertiesLength = Measure(properties, context, name);
        int remaining = propertiesLength > 0 ? 1 + PropertyEncoder.SectionSize(propertiesLength) : reasonCode != 0 ? 1 : 0;
        EnsureRemainingLength(remaining, name);
        var cursor = new BufferWriterCursor(output, SizeHint(remaining));
        cursor.WriteFixedHeader(first, remaining);
        if (remaining > 0)
        {
            cursor.WriteByte(reasonCode);
        }

        if (propertiesLength > 0)
        {
            WriteSection(ref cursor, properties, propertiesLength);
        }

        cursor.Commit();
    }

    private static void WriteSubscribeV5(SubscribePacket packet, IBufferWriter<byte> output)
    {
        EnsurePacketId(packet.PacketId, "SUBSCRIBE");
        if (packet.Subscriptions is null || packet.Subscriptions.Count == 0)
        {
            throw Invalid("SUBSCRIBE needs at least one topic filter [MQTT-3.8.3-2].");
        }

        int propertiesLength = Measure(packet.Properties, PropertyContext.Subscribe, "SUBSCRIBE");
        int count = packet.Subscriptions.Count;
        int[] filterBytes = new int[count];
        long remaining = 2 + PropertyEncoder.SectionSize(propertiesLength);
        for (int i = 0; i < count; i++)
        {
            TopicSubscription subscription = packet.Subscriptions[i] ?? throw Invalid($"SUBSCRIBE subscription {i} is null.");
            TopicValidation.EnsureTopicFilter(subscription.TopicFilter, Parameter);
            filterBytes[i] = MqttStrings.MeasureForWriting(subscription.TopicFilter, "SUBSCRIBE topic filter", Parameter);
            EnsureQualityOfService(subscription.QualityOfService, $"SUBSCRIBE to \"{subscription.TopicFilter}\"");
            if (subscription.RetainHandling is < 0 or > 2)
            {
                throw Invalid($"SUBSCRIBE to \"{subscription.TopicFilter}\" has Retain Handling {subscription.RetainHandling}; it must be 0, 1 or 2 [MQTT-3.8.3-5].");
            }

            remaining += 2 + filterBytes[i] + 1;
        }

        EnsureRemainingLength(remaining, "SUBSCRIBE");
        var cursor = new BufferWriterCursor(output, SizeHint(remaining));
        cursor.WriteFixedHeader(0x82, (int)remaining);
        cursor.WriteUInt16(packet.PacketId);
        WriteSection(ref cursor, packet.Properties, propertiesLength);
        for (int i = 0; i < count; i++)
        {
            TopicSubscription s = packet.Subscriptions[i];
            cursor.WriteString(s.TopicFilter, filterBytes[i]);
            cursor.WriteByte((byte)((int)s.QualityOfService | (s.NoLocal ? 0x04 : 0) | (s.RetainAsPublished ? 0x08 : 0) | (s.RetainHandling << 4)));
        }

        cursor.Commit();
    }

    private static void WriteUnsubscribeV5(UnsubscribePacket packet, IBufferWriter<byte> output)
    {
        EnsurePacketId(packet.PacketId, "UNSUBSCRIBE");
        if (packet.TopicFilters is null || packet.TopicFilters.Count == 0)
        {
            throw Invalid("UNSUBSCRIBE needs at least one topic filter [MQTT-3.10.3-2].");
        }

        int propertiesLength = Measure(packet.Properties, PropertyContext.Unsubscribe, "UNSUBSCRIBE");
        int count = packet.TopicFilters.Count;
        int[] filterBytes = new int[count];
        long remaining = 2 + PropertyEncoder.SectionSize(propertiesLength);
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
        WriteSection(ref cursor, packet.Properties, propertiesLength);
        for (int i = 0; i < count; i++)
        {
            cursor.WriteString(packet.TopicFilters[i], filterBytes[i]);
        }

        cursor.Commit();
    }

    /// <summary>SUBACK and UNSUBACK: packet identifier, properties, then one reason code per filter of the request.</summary>
    private static void WriteCodesV5(byte first, ushort packetId, IReadOnlyList<byte>? codes, MqttProperties? properties, PropertyContext context, string name, IBufferWriter<byte> output)
    {
        EnsurePacketId(packetId, name);
        if (codes is null || codes.Count == 0)
        {
            throw Invalid($"{name} needs one reason code per topic filter of the request it answers, so at least one [MQTT-3.9.3-1].");
        }

        for (int i = 0; i < codes.Count; i++)
        {
            EnsureReasonCode(codes[i], context, $"{name} (index {i})");
        }

        int propertiesLength = Measure(properties, context, name);
        long remaining = 2L + PropertyEncoder.SectionSize(propertiesLength) + codes.Count;
        EnsureRemainingLength(remaining, name);
        var cursor = new BufferWriterCursor(output, SizeHint(remaining));
        cursor.WriteFixedHeader(first, (int)remaining);
        cursor.WriteUInt16(packetId);
        WriteSection(ref cursor, properties, propertiesLength);
        for (int i = 0; i < codes.Count; i++)
        {
            cursor.WriteByte(codes[i]);
        }

        cursor.Commit();
    }

    private static int Measure(MqttProperties? properties, PropertyContext context, string name) =>
        properties is null ? 0 : PropertyEncoder.Measure(properties, context, name);

    private static void WriteSection(ref BufferWriterCursor cursor, MqttProperties? properties, int propertiesLength)
    {
        if (properties is null)
        {
            cursor.WriteByte(0); // a property length of 0
            return;
        }

        PropertyEncoder.Write(ref cursor, properties, propertiesLength);
    }

    private static void EnsureReasonCode(byte code, PropertyContext packet, string name)
    {
        if (!ReasonCodeTable.IsAllowed(ReasonCodes, code, packet))
        {
            throw Invalid(ReasonCodeTable.Find(ReasonCodes, code) is { } row
                ? $"{name} cannot carry reason code 0x{code:X2} ({row.Name}) [MQTT-2.4]. Use one its packet type defines."
                : $"{name} reason code 0x{code:X2} is not defined by MQTT 5 [MQTT-2.4].");
        }
    }
}
