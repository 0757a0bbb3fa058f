using System.Buffers;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.Wire;

namespace StateMachineMqtt.Protocol;

// CONNECT: flags derived from the optional will, user name and password, each checked before a byte is written.
internal static partial class MqttPacketWriter
{
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
}
