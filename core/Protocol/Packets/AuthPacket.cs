using StateMachineMqtt.Protocol.V5;

namespace StateMachineMqtt.Protocol.Packets;

/// <summary>AUTH [MQTT-3.15], MQTT 5 only: a step of enhanced authentication (0x00 success, 0x18 continue, 0x19 re-authenticate).</summary>
internal sealed record AuthPacket(byte ReasonCode = 0, MqttProperties? Properties = null) : MqttPacket
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.Auth;
}
