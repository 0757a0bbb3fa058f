namespace StateMachineMqtt.Protocol.Packets;

/// <summary>PINGREQ [MQTT-3.12].</summary>
internal sealed record PingReqPacket : MqttPacket
{
    /// <summary>The one instance: the packet has no fields.</summary>
    public static readonly PingReqPacket Instance = new();

    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.PingReq;
}

/// <summary>PINGRESP [MQTT-3.13].</summary>
internal sealed record PingRespPacket : MqttPacket
{
    /// <summary>The one instance: the packet has no fields.</summary>
    public static readonly PingRespPacket Instance = new();

    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.PingResp;
}

/// <summary>DISCONNECT [MQTT-3.14].</summary>
internal sealed record DisconnectPacket : MqttPacket
{
    /// <summary>The one instance: the packet has no fields.</summary>
    public static readonly DisconnectPacket Instance = new();

    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.Disconnect;
}
