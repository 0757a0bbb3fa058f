using System.Security.Authentication;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Transport;

/// <summary>
/// A TLS link could not be used, with what was wrong (<see cref="Failure"/>), what the client saw, and what to do, all in
/// its message. The client classifies it with spec/'s <see cref="TlsFailureRules"/>: a first connect fails at once, a
/// reconnect counts it as an outage.
/// </summary>
public sealed class MqttTlsException : AuthenticationException
{
    /// <summary>Creates the exception; the message is made from the failure, the detail and the advice for it.</summary>
    public MqttTlsException(TlsFailure failure, string detail, Exception? innerException = null)
        : base($"TLS: {TlsFailureRules.Name(failure)} ({detail}); {TlsFailureRules.Advice(failure)}.", innerException)
    {
        Failure = failure;
        Detail = detail;
    }

    /// <summary>Creates the exception.</summary>
    public MqttTlsException() : this(TlsFailure.HandshakeFailed, "no detail") { }

    /// <summary>Creates the exception.</summary>
    public MqttTlsException(string message) : this(TlsFailure.HandshakeFailed, message) { }

    /// <summary>Creates the exception.</summary>
    public MqttTlsException(string message, Exception innerException) : this(TlsFailure.HandshakeFailed, message, innerException) { }

    /// <summary>What was wrong.</summary>
    public TlsFailure Failure { get; }

    /// <summary>What the client saw (certificate subject, dates, names), without the advice.</summary>
    public string Detail { get; }
}
