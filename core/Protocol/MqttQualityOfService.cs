namespace StateMachineMqtt.Protocol;

/// <summary>MQTT quality of service levels [MQTT-4.3].</summary>
public enum MqttQualityOfService : byte
{
    /// <summary>QoS 0: at most once, fire and forget.</summary>
    AtMostOnce = 0,
    /// <summary>QoS 1: at least once, acknowledged by PUBACK.</summary>
    AtLeastOnce = 1,
    /// <summary>QoS 2: exactly once, four-part handshake.</summary>
    ExactlyOnce = 2,
}
