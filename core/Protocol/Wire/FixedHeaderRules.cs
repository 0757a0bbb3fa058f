using StateMachineMqtt.Spec;
namespace StateMachineMqtt.Protocol.Wire;

/// <summary>
/// Checks the first byte of a fixed header — packet type and flags [MQTT-2.2] — as soon as it arrives, before the rest.
/// </summary>
internal static class FixedHeaderRules
{
    /// <summary>Returns the packet type, or throws MqttProtocolException saying what is wrong with the first byte.</summary>
    public static MqttPacketType Validate(byte first, MqttProtocolVersion version = MqttProtocolVersion.V311)
    {
        int type = first >> 4;
        int flags = first & 0x0F;
        if (type == 0 || (type == 15 && version != MqttProtocolVersion.V500))
        {
            throw new MqttProtocolException($"Packet type {type} is reserved in MQTT 3.1.1 [MQTT-2.2.1] (first byte 0x{first:X2}): the stream is not MQTT 3.1.1 or is out of step.");
        }

        var packetType = (MqttPacketType)type;
        if (packetType == MqttPacketType.Publish)
        {
            int qos = (flags >> 1) & 0x03;
            if (qos == 3)
            {
                throw new MqttProtocolException("PUBLISH has QoS 3, which does not exist [MQTT-3.3.1-4].");
            }

            if (qos == 0 && (flags & 0x08) != 0)
            {
                throw new MqttProtocolException("PUBLISH at QoS 0 has the DUP flag set [MQTT-3.3.1-2].");
            }

            return packetType;
        }

        int expected = packetType is MqttPacketType.PubRel or MqttPacketType.Subscribe or MqttPacketType.Unsubscribe ? 0b0010 : 0;
        if (flags != expected)
        {
            throw new MqttProtocolException(
                $"{PacketNames.Of(packetType)} fixed-header flags are 0b{Binary(flags)}; they must be 0b{Binary(expected)} [MQTT-2.2.2-1/2].");
        }

        return packetType;
    }

    private static string Binary(int flags) => Convert.ToString(flags, 2).PadLeft(4, '0');
}
