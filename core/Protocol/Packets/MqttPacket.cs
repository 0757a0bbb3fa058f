namespace StateMachineMqtt.Protocol.Packets;

/// <summary>Base of every MQTT 3.1.1 control packet. Packets are immutable values; encoding lives in MqttPacketWriter.</summary>
internal abstract record MqttPacket
{
    /// <summary>The control packet type.</summary>
    public abstract MqttPacketType Type { get; }
}

/// <summary>A packet that carries a packet identifier (non-zero [MQTT-2.3.1-1]).</summary>
internal interface IHasPacketId
{
    /// <summary>The packet identifier.</summary>
    ushort PacketId { get; }
}
