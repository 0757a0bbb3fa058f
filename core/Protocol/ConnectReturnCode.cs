namespace StateMachineMqtt.Protocol;

/// <summary>CONNACK return codes [MQTT-3.2.2.3].</summary>
public enum ConnectReturnCode : byte
{
    /// <summary>Connection accepted.</summary>
    Accepted = 0,
    /// <summary>The broker does not support the MQTT protocol level requested.</summary>
    UnacceptableProtocolVersion = 1,
    /// <summary>The client identifier is correct UTF-8 but not allowed by the broker.</summary>
    IdentifierRejected = 2,
    /// <summary>The network connection was made but the MQTT service is unavailable.</summary>
    ServerUnavailable = 3,
    /// <summary>The user name or password is malformed.</summary>
    BadUserNameOrPassword = 4,
    /// <summary>The client is not authorised to connect.</summary>
    NotAuthorized = 5,
}
