namespace StateMachineMqtt.Protocol.Packets;

/// <summary>PUBACK [MQTT-3.4].</summary>
internal sealed record PubAckPacket(ushort PacketId) : MqttPacket, IHasPacketId
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.PubAck;
}

/// <summary>PUBREC [MQTT-3.5].</summary>
internal sealed record PubRecPacket(ushort PacketId) : MqttPacket, IHasPacketId
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.PubRec;
}

/// <summary>PUBREL [MQTT-3.6]; its fixed-header flags are 0b0010 [MQTT-3.6.1-1].</summary>
internal sealed record PubRelPacket(ushort PacketId) : MqttPacket, IHasPacketId
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.PubRel;
}

/// <summary>PUBCOMP [MQTT-3.7].</summary>
internal sealed record PubCompPacket(ushort PacketId) : MqttPacket, IHasPacketId
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.PubComp;
}

/// <summary>UNSUBACK [MQTT-3.11].</summary>
internal sealed record UnsubAckPacket(ushort PacketId) : MqttPacket, IHasPacketId
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.UnsubAck;
}
