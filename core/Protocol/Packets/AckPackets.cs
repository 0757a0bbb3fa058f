using StateMachineMqtt.Protocol.V5;

namespace StateMachineMqtt.Protocol.Packets;

/// <summary>PUBACK [MQTT-3.4]. ReasonCode and Properties are MQTT 5 only (3.1.1: 0 and null).</summary>
internal sealed record PubAckPacket(ushort PacketId, byte ReasonCode = 0, MqttProperties? Properties = null) : MqttPacket, IHasPacketId
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.PubAck;
}

/// <summary>PUBREC [MQTT-3.5].</summary>
internal sealed record PubRecPacket(ushort PacketId, byte ReasonCode = 0, MqttProperties? Properties = null) : MqttPacket, IHasPacketId
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.PubRec;
}

/// <summary>PUBREL [MQTT-3.6]; its fixed-header flags are 0b0010 [MQTT-3.6.1-1].</summary>
internal sealed record PubRelPacket(ushort PacketId, byte ReasonCode = 0, MqttProperties? Properties = null) : MqttPacket, IHasPacketId
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.PubRel;
}

/// <summary>PUBCOMP [MQTT-3.7].</summary>
internal sealed record PubCompPacket(ushort PacketId, byte ReasonCode = 0, MqttProperties? Properties = null) : MqttPacket, IHasPacketId
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.PubComp;
}

/// <summary>UNSUBACK [MQTT-3.11]. MQTT 5 adds one reason code per filter and properties (3.1.1: null and null).</summary>
internal sealed record UnsubAckPacket(ushort PacketId, IReadOnlyList<byte>? ReasonCodes = null, MqttProperties? Properties = null) : MqttPacket, IHasPacketId
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.UnsubAck;
}
