using System.Buffers;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Protocol.Wire;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Protocol;

// CONNECT: flags derived from the optional will, user name and password, each checked before a byte is written. MQTT 5
// adds a property section after the keep alive and another before the will topic.
internal static partial class MqttPacketWriter
{
    private static void WriteConnect(ConnectPacket packet, IBufferWriter<byte> output, MqttProtocolVersion version)
    {
        bool v5 = version == MqttProtocolVersion.V500;
        int clientIdBytes = MqttStrings.MeasureForWriting(packet.ClientId, "CONNECT client identifier", Parameter);
        if (clientIdBytes == 0 && !packet.CleanSession && !v5)
        {
            // MQTT 5 allows it: the server assigns an identifier [MQTT-3.1.3-6].
            throw Invalid("CONNECT with an empty client identifier must set CleanSession [MQTT-3.1.3-7]. Give a client identifier or use a clean session.");
        }

        int propertiesLength = v5 ? Measure(packet.Properties, PropertyContext.Connect, "CONNECT") : 0;
        long remaining = 10 + (v5 ? PropertyEncoder.SectionSize(propertiesLength) : 0) + 2 + clientIdBytes; // protocol name (6), level, flags, keep alive (2)
        byte flags = packet.CleanSession ? (byte)0x02 : (byte)0;
        int willTopicBytes = 0;
        int willPropertiesLength = 0;
        if (packet.Will is { } will)
        {
            TopicValidation.EnsureTopicName(will.Topic, Parameter);
            willTopicBytes = MqttStrings.MeasureForWriting(will.Topic, "CONNECT will topic", Parameter);
            EnsureQualityOfService(will.QualityOfService, "CONNECT will");
            EnsureBinaryLength(will.Payload.Length, "CONNECT will message");
            if (v5 && will.Properties?.ResponseTopic is { } responseTopic)
            {
                EnsureResponseTopic(responseTopic, "CONNECT will");
            }

            willPropertiesLength = v5 ? Measure(will.Properties, PropertyContext.Will, "CONNECT will") : 0;
            remaining += (v5 ? PropertyEncoder.SectionSize(willPropertiesLength) : 0) + 2 + willTopicBytes + 2 + will.Payload.Length;
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
            if (packet.UserName is null && !v5)
            {
                // MQTT 5 lets a password go without a user name [MQTT-3.1.2-19].
                throw Invalid("CONNECT has a password but no user name; MQTT 3.1.1 sends a password only with a user name [MQTT-3.1.2-22]. Set UserName too.");
            }

            EnsureBinaryLength(password.Length, "CONNECT password");
            remaining += 2 + password.Length;
            flags |= 0x40;
        }

        EnsureRemainingLength(remaining, "CONNECT");
        var cursor = new BufferWriterCursor(output, SizeHint(remaining));
        cursor.WriteFixedHeader(0x10, (int)remaining);
        cursor.WriteUInt16(4);
        cursor.WriteBytes("MQTT"u8);
        cursor.WriteByte((byte)version); // the protocol level: 4 for MQTT 3.1.1, 5 for MQTT 5
        cursor.WriteByte(flags);
        cursor.WriteUInt16(packet.KeepAliveSeconds);
        if (v5)
        {
            WriteSection(ref cursor, packet.Properties, propertiesLength);
        }

        cursor.WriteString(packet.ClientId, clientIdBytes);
        if (packet.Will is { } w)
        {
            if (v5)
            {
                WriteSection(ref cursor, w.Properties, willPropertiesLength);
            }

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
}
