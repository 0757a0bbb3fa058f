namespace StateMachineMqtt;

/// <summary>
/// A QoS 0 message was handed to a link that failed before it was written: it may or may not have reached the broker, and
/// at most once forbids sending it again. Publish at QoS 1 for messages that must arrive.
/// </summary>
public sealed class MqttConnectionLostException : Exception
{
    /// <summary>Creates the exception with the engine's reason.</summary>
    public MqttConnectionLostException(string reason)
        : base($"The link was lost before this QoS 0 message was written ({reason}); it may not have been delivered. Publish at QoS 1 for messages that must arrive.")
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public MqttConnectionLostException()
        : base("The link was lost before this QoS 0 message was written; it may not have been delivered.")
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public MqttConnectionLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
