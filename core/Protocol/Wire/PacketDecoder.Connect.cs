using System.Text;
using System.Text.Unicode;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Protocol.Wire;

// CONNECT: protocol name and level, connect flags, then the payload fields the flags announce [MQTT-3.1]; under MQTT 5
// with a property section after the keep alive and one before the will topic.
internal static partial class PacketDecoder
{
    private static ConnectPacket ReadConnect(ref PacketBodyReader reader, MqttProtocolVersion version)
    {
        bool v5 = version == MqttProtocolVersion.V500;
        ReadOnlySpan<byte> protocolName = reader.ReadBinarySpan("protocol name");
        if (!protocolName.SequenceEqual("MQTT"u8))
        {
            string shown = Utf8.IsValid(protocolName) ? Encoding.UTF8.GetString(protocolName) : "(not UTF-8)";
            throw new MqttProtocolException($"CONNECT protocol name is \"{shown}\", not \"MQTT\" [MQTT-3.1.2-1]: this peer does not speak MQTT 3.1.1.");
        }

        byte level = reader.ReadByte("protocol level");
        if (level != (byte)version)
        {
            throw new MqttProtocolException(v5
                ? $"CONNECT protocol level is {level}; MQTT 5 is level 5 [MQTT-3.1.2-2]. Answer with CONNACK 0x84 (unsupported protocol version)."
                : $"CONNECT protocol level is {level}; MQTT 3.1.1 is level 4 [MQTT-3.1.2-2]. Answer with CONNACK 0x01 (unacceptable protocol version).");
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

        if (hasPassword && !hasUserName && !v5)
        {
            // MQTT 5 allows a password alone [MQTT-3.1.2-19].
            throw new MqttProtocolException("CONNECT flags set the password flag without the user name flag [MQTT-3.1.2-22].");
        }

        ushort keepAlive = reader.ReadUInt16("keep alive");
        MqttProperties? properties = v5 ? Section(ref reader, PropertyContext.Connect, "CONNECT") : null;
        string clientId = reader.ReadString("client identifier");
        MqttWill? will = null;
        if (hasWill)
        {
            MqttProperties? willProperties = v5 ? Section(ref reader, PropertyContext.Will, "CONNECT will") : null;
            if (willProperties?.ResponseTopic is { } responseTopic)
            {
                // The will is published with it, as a PUBLISH whose Response Topic must be a topic name [MQTT-3.3.2-13/14].
                EnsureTopicName(responseTopic, "CONNECT will Response Topic");
            }

            string topic = reader.ReadString("will topic");
            EnsureTopicName(topic, "CONNECT will topic");
            ReadOnlyMemory<byte> message = reader.ReadBinary("will message");
            will = new MqttWill(topic, message, (MqttQualityOfService)willQos, willRetain, willProperties);
        }

        string? userName = hasUserName ? reader.ReadString("user name") : null;
        // The cast matters: a bare null would convert to an empty ReadOnlyMemory (via byte[]) and read as "password present".
        ReadOnlyMemory<byte>? password = hasPassword ? reader.ReadBinary("password") : (ReadOnlyMemory<byte>?)null;
        return new ConnectPacket(clientId, (flags & 0x02) != 0, keepAlive, userName, password, will, properties);
    }
}
