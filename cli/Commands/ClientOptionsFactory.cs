using System.Globalization;

namespace StateMachineMqtt.Cli.Commands;

/// <summary>Maps pub/sub flags onto <see cref="MqttClientOptions"/>.</summary>
internal static class ClientOptionsFactory
{
    /// <summary>Options for <paramref name="arguments"/>; a missing -i becomes "smqtt-PID-RANDOM", like mosquitto's "mosq-…".</summary>
    public static MqttClientOptions Create(CliArguments arguments)
    {
        var options = new MqttClientOptions
        {
            Server = arguments.Host,
            Port = arguments.Port,
            ClientId = arguments.ClientId ?? GeneratedClientId(),
            KeepAlive = TimeSpan.FromSeconds(arguments.KeepAliveSeconds),
            // A tool gives up on the first connect, as mosquitto_pub does; once connected it rides out outages.
            FirstConnectTimeout = arguments.ConnectTimeoutSeconds > 0 ? TimeSpan.FromSeconds(arguments.ConnectTimeoutSeconds) : null,
            UserName = arguments.UserName,
            Password = arguments.Password,
            CleanSession = !arguments.PersistentSession,
            ProtocolVersion = arguments.ProtocolVersion,
            SessionExpiryInterval = arguments.SessionExpirySeconds is { } expiry ? TimeSpan.FromSeconds(expiry) : null,
            Tls = TlsSettings.FromArguments(arguments),
            Will = arguments.Will,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(UsageException.Plain(e), e);
        }

        return options;
    }

    private static string GeneratedClientId() =>
        string.Create(CultureInfo.InvariantCulture, $"smqtt-{Environment.ProcessId}-{Random.Shared.Next(0x10000):x4}");
}
