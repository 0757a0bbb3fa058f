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
            case ConnectPacket connect: WriteConnect(connect, output, MqttProtocolVersion.V500); break;
            case ConnAckPacket connAck: WriteConnAckV5(connAck, output); break;
            case PublishPacket publish: WritePublish(publish, output, MqttProtocolVersion.V500); break;
            case PubAckPacket a: WriteAckV5(0x40, a.PacketId, a.ReasonCode, a.Properties, PropertyContext.PubAck, "PUBACK", output); break;
            case PubRecPacket a: WriteAckV5(0x50, a.PacketId, a.ReasonCode, a.Properties, PropertyContext.PubRec, "PUBREC", output); break;
            case PubRelPacket a: WriteAckV5(0x62, a.PacketId, a.ReasonCode, a.Properties, PropertyContext.PubRel, "PUBREL", output); break;
            case PubCompPacket a: WriteAckV5(0x70, a.PacketId, a.ReasonCode, a.Properties, PropertyContext.PubComp, "PUBCOMP", output); break;
            case SubscribePacket subscribe: WriteSubscribe(subscribe, output, MqttProtocolVersion.V500); break;
            case SubAckPacket subAck: WriteCodesV5(0x90, subAck.PacketId, subAck.ReturnCodes, subAck.Properties, PropertyContext.SubAck, "SUBACK", output); break;
            case UnsubscribePacket unsubscribe: WriteUnsubscribe(unsubscribe, output, MqttProtocolVersion.V500); break;
            case UnsubAckPacket unsubAck: WriteCodesV5(0xB0, unsubAck.PacketId, unsubAck.ReasonCodes, unsubAck.Properties, PropertyContext.UnsubAck, "UNSUBACK", output); break;
            case PingReqPacket: WriteEmpty(0xC0, output); break;
            case PingRespPacket: WriteEmpty(0xD0, output); break;
            case DisconnectPacket d: WriteReasonOnlyV5(0xE0, d.ReasonCode, d.Properties, PropertyContext.Disconnect, "DISCONNECT", output); break;
            case AuthPacket a: WriteReasonOnlyV5(0xF0, a.ReasonCode, a.Properties, PropertyContext.Auth, "AUTH", output); break;
            default:
                throw Invalid($"{packet.GetType().Name} is not an MQTT 5 packet this writer knows; use the records in StateMachineMqtt.Protocol.Packets.");
        }
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
