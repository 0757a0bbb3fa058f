namespace StateMachineMqtt.Protocol.Packets;

/// <summary>CONNACK [MQTT-3.2].</summary>
internal sealed record ConnAckPacket(bool SessionPresent, ConnectReturnCode ReturnCode) : MqttPacket
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.ConnAck;
}
