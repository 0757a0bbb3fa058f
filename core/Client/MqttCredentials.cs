using System.Text;

namespace StateMachineMqtt;

/// <summary>
/// A user name and password for one CONNECT, as a <see cref="MqttClientOptions.CredentialsProvider"/> returns them.
/// <see cref="ToString"/> shows only whether each is set: credentials never reach a log or a message.
/// </summary>
public sealed class MqttCredentials
{
    /// <summary>Creates credentials.</summary>
    /// <param name="userName">The user name, or null for none.</param>
    /// <param name="password">The password (sent as UTF-8), or null for none; MQTT 3.1.1 wants a user name with it [MQTT-3.1.2-22].</param>
    public MqttCredentials(string? userName, string? password)
    {
        UserName = userName;
        Password = password;
    }

    /// <summary>No user name and no password.</summary>
    public static MqttCredentials None { get; } = new(null, null);

    /// <summary>The user name, or null.</summary>
    public string? UserName { get; }

    /// <summary>The password, or null.</summary>
    public string? Password { get; }

    /// <summary>Says which of the two are set, never what they are.</summary>
    public override string ToString() =>
        $"MqttCredentials {{ UserName = {(UserName is null ? "none" : "***")}, Password = {(Password is null ? "none" : "***")} }}";

    /// <summary>Throws InvalidCredentialsException (without the values) when these cannot go in a CONNECT.</summary>
    internal void Validate(Spec.MqttProtocolVersion version)
    {
        if (Password is not null && UserName is null && version != Spec.MqttProtocolVersion.V500)
        {
            throw new InvalidCredentialsException("it returned a password without a user name, which MQTT 3.1.1 does not allow [MQTT-3.1.2-22]; return a user name too");
        }

        if ((UserName is not null && Encoding.UTF8.GetByteCount(UserName) > ushort.MaxValue) || (Password is not null && Encoding.UTF8.GetByteCount(Password) > ushort.MaxValue))
        {
            throw new InvalidCredentialsException("it returned a user name or password longer than 65,535 UTF-8 bytes, which a CONNECT cannot carry");
        }
    }
}

/// <summary>What a <see cref="MqttClientOptions.CredentialsProvider"/> is told about the connect it is asked for.</summary>
public sealed class MqttCredentialsContext
{
    internal MqttCredentialsContext(string server, int port, int attempt, bool hasConnected)
    {
        Server = server;
        Port = port;
        Attempt = attempt;
        HasConnected = hasConnected;
    }

    /// <summary>The broker the link is for.</summary>
    public string Server { get; }

    /// <summary>Its port.</summary>
    public int Port { get; }

    /// <summary>Which link this is, counting from 1 for this client's first; every reconnect asks again.</summary>
    public int Attempt { get; }

    /// <summary>True once a CONNACK has accepted this client at least once: a refresh rather than the first connect.</summary>
    public bool HasConnected { get; }

    /// <inheritdoc />
    public override string ToString() => $"MqttCredentialsContext {{ Server = {Server}:{Port}, Attempt = {Attempt}, HasConnected = {HasConnected} }}";
}
