using StateMachineMqtt.Protocol.V5;

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

/// <summary>DISCONNECT [MQTT-3.14]. MQTT 5 adds a Reason Code and properties, in both directions (3.1.1: 0 and null).</summary>
internal sealed record DisconnectPacket(byte ReasonCode = 0, MqttProperties? Properties = null) : MqttPacket
{
    /// <summary>A normal disconnection, with no properties: the only DISCONNECT of MQTT 3.1.1.</summary>
    public static readonly DisconnectPacket Instance = new();

    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.Disconnect;
}
