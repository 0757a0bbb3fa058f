namespace StateMachineMqtt;

/// <summary>
/// MQTT 5: the broker refused a QoS 1 or 2 message, answering its PUBLISH with a failure reason code (0x80 and up) in PUBACK
/// or PUBREC. The broker will not deliver it; the client holds it no longer. Re-publishing the same message meets the same
/// answer until the cause is fixed (for 0x87, the broker's access rules; for 0x97, the quota).
/// </summary>
public sealed class MqttPublishException : Exception
{
    /// <summary>Creates the exception for a refusal with <paramref name="reasonCode"/>.</summary>
    public MqttPublishException(int reasonCode, string message)
        : base($"The broker refused the message: {Describe(reasonCode)}. {message}. Publishing it again meets the same answer until its cause is fixed on the broker's side (for 0x87, its access rules for this client and topic).")
    {
        ReasonCode = reasonCode;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public MqttPublishException() : base("The broker refused the message.") { }

    /// <summary>Creates the exception with a message only.</summary>
    public MqttPublishException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public MqttPublishException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The reason code of the PUBACK or PUBREC (0x80 and up), e.g. 0x87 Not authorized; 0 when none was given.</summary>
    public int ReasonCode { get; }

    private static string Describe(int code) => ReasonCodeNames.Describe(code);
}
