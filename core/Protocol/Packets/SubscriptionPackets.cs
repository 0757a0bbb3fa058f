using StateMachineMqtt.Protocol.V5;

namespace StateMachineMqtt.Protocol.Packets;

/// <summary>
/// One topic filter and its requested maximum QoS; MQTT 5 adds the other subscription options [MQTT-3.8.3.1]: No Local,
/// Retain As Published, and Retain Handling (0 send retained, 1 only for a new subscription, 2 never).
/// </summary>
internal sealed record TopicSubscription(string TopicFilter, MqttQualityOfService QualityOfService, bool NoLocal = false, bool RetainAsPublished = false, int RetainHandling = 0);

/// <summary>SUBSCRIBE [MQTT-3.8]; fixed-header flags 0b0010 [MQTT-3.8.1-1]; at least one filter [MQTT-3.8.3-3].</summary>
internal sealed record SubscribePacket(ushort PacketId, IReadOnlyList<TopicSubscription> Subscriptions, MqttProperties? Properties = null) : MqttPacket, IHasPacketId
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.Subscribe;
}

/// <summary>SUBACK [MQTT-3.9]: one return code per filter, 0x00–0x02 granted QoS or 0x80 failure (MQTT 5: any failure reason code).</summary>
internal sealed record SubAckPacket(ushort PacketId, IReadOnlyList<byte> ReturnCodes, MqttProperties? Properties = null) : MqttPacket, IHasPacketId
{
    /// <summary>The SUBACK return code that means the subscription failed.</summary>
    public const byte Failure = 0x80;

    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.SubAck;
}

/// <summary>UNSUBSCRIBE [MQTT-3.10]; fixed-header flags 0b0010 [MQTT-3.10.1-1]; at least one filter [MQTT-3.10.3-2].</summary>
internal sealed record UnsubscribePacket(ushort PacketId, IReadOnlyList<string> TopicFilters, MqttProperties? Properties = null) : MqttPacket, IHasPacketId
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.Unsubscribe;
}
