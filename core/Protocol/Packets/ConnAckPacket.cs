using StateMachineMqtt.Protocol.V5;

namespace StateMachineMqtt.Protocol.Packets;

/// <summary>
/// CONNACK [MQTT-3.2]. Under MQTT 5, ReturnCode holds the Reason Code byte (0x00 success, 0x80 and up a refusal), which
/// the 3.1.1 enum does not name, and Properties the CONNACK properties.
/// </summary>
internal sealed record ConnAckPacket(bool SessionPresent, ConnectReturnCode ReturnCode, MqttProperties? Properties = null) : MqttPacket
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.ConnAck;
}
