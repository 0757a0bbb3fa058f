using StateMachineMqtt.Protocol;

namespace StateMachineMqtt;

/// <summary>
/// The first connection failed for a reason that retrying will not fix: unknown host, certificate
/// rejected, or CONNACK refused (bad credentials, not authorised, protocol, identifier).
/// </summary>
public sealed class MqttConnectException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MqttConnectException(string message, ConnectReturnCode? returnCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ReturnCode = returnCode;
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public MqttConnectException() : base("The connection to the MQTT broker could not be made.") { }

    /// <summary>Creates the exception.</summary>
    public MqttConnectException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public MqttConnectException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The CONNACK return code, when the broker refused the connection.</summary>
    public ConnectReturnCode? ReturnCode { get; }
}
