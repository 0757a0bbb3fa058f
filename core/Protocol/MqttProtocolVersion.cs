namespace StateMachineMqtt.Protocol;

/// <summary>The protocol version a link speaks, numbered as CONNECT's protocol level byte.</summary>
internal enum MqttProtocolVersion : byte
{
    /// <summary>MQTT 3.1.1 (protocol level 4).</summary>
    V311 = 4,

    /// <summary>MQTT 5.0 (protocol level 5).</summary>
    V500 = 5,
}
