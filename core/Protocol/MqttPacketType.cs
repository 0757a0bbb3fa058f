namespace StateMachineMqtt.Protocol;

/// <summary>MQTT 3.1.1 control packet types, by the value of the fixed header's high nibble [MQTT-2.2.1].</summary>
internal enum MqttPacketType : byte
{
    /// <summary>Client request to connect.</summary>
    Connect = 1,
    /// <summary>Connect acknowledgement.</summary>
    ConnAck = 2,
    /// <summary>Publish message.</summary>
    Publish = 3,
    /// <summary>QoS 1 publish acknowledgement.</summary>
    PubAck = 4,
    /// <summary>QoS 2 publish received (part 1).</summary>
    PubRec = 5,
    /// <summary>QoS 2 publish release (part 2).</summary>
    PubRel = 6,
    /// <summary>QoS 2 publish complete (part 3).</summary>
    PubComp = 7,
    /// <summary>Subscribe request.</summary>
    Subscribe = 8,
    /// <summary>Subscribe acknowledgement.</summary>
    SubAck = 9,
    /// <summary>Unsubscribe request.</summary>
    Unsubscribe = 10,
    /// <summary>Unsubscribe acknowledgement.</summary>
    UnsubAck = 11,
    /// <summary>Ping request.</summary>
    PingReq = 12,
    /// <summary>Ping response.</summary>
    PingResp = 13,
    /// <summary>Client is disconnecting.</summary>
    Disconnect = 14,
    /// <summary>Authentication exchange (MQTT 5 only; reserved in 3.1.1).</summary>
    Auth = 15,
}
