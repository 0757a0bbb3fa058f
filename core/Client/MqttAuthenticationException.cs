namespace StateMachineMqtt;

/// <summary>
/// A re-authentication (<see cref="MqttClient.ReauthenticateAsync"/>) failed: the authenticator threw, the broker did not
/// finish it within the response time, or the link closed first — the broker refuses a re-authentication by closing the
/// link with DISCONNECT [MQTT-4.12.1-2]. The client reconnects, and its next CONNECT authenticates afresh.
/// </summary>
public sealed class MqttAuthenticationException : Exception
{
    /// <summary>Creates the exception with the engine's reason.</summary>
    public MqttAuthenticationException(string reason)
        : base($"The re-authentication failed: {reason}. The client reconnects and authenticates afresh; check the authenticator and the broker's log.")
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public MqttAuthenticationException()
        : base("The re-authentication failed.")
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public MqttAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
