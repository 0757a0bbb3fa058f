using StateMachineMqtt.Protocol.V5;

namespace StateMachineMqtt.Protocol.Packets;

/// <summary>PUBLISH [MQTT-3.3]. PacketId is 0 for QoS 0 and non-zero otherwise.</summary>
internal sealed record PublishPacket(
    string Topic,
    ReadOnlyMemory<byte> Payload,
    MqttQualityOfService QualityOfService,
    bool Retain,
    bool Dup,
    ushort PacketId,
    MqttProperties? Properties = null) : MqttPacket, IHasPacketId
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.Publish;
}
