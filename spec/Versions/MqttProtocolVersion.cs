namespace StateMachineMqtt.Spec
{
    /// <summary>
    /// The MQTT version a client speaks, numbered as CONNECT's protocol level byte. The tables say where the versions
    /// differ (a row or guard that names one); everything else holds for both.
    /// </summary>
    public enum MqttProtocolVersion
    {
        /// <summary>MQTT 3.1.1 (protocol level 4), the default.</summary>
        V311 = 4,

        /// <summary>MQTT 5.0 (protocol level 5).</summary>
        V500 = 5,
    }
}
