namespace StateMachineMqtt.Protocol;

/// <summary>
/// Bytes from the network broke the MQTT protocol (malformed, oversized or unexpected packet).
/// The client closes the link and reconnects [MQTT-4.8.0-1]; this is the only exception the decoder throws.
/// </summary>
internal sealed class MqttProtocolException : Exception
{
    /// <summary>Creates the exception with a message saying what was wrong.</summary>
    public MqttProtocolException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public MqttProtocolException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with no message (prefer the overload that says what was wrong).</summary>
    public MqttProtocolException() : base("The MQTT protocol was violated.") { }
}
