namespace StateMachineMqtt;

/// <summary>What an MQTT 5 PUBLISH says its payload is (the Payload Format Indicator) [MQTT-3.3.2.3.2].</summary>
public enum MqttPayloadFormat
{
    /// <summary>Unspecified bytes: the indicator is left out (or was sent as 0).</summary>
    Unspecified = 0,

    /// <summary>UTF-8 encoded character data. A receiver may check it and refuse a payload that is not well-formed UTF-8.</summary>
    Utf8 = 1,
}
