using System.Globalization;

namespace StateMachineMqtt.Cli.Commands;

/// <summary>Maps pub/sub flags onto <see cref="MqttClientOptions"/>.</summary>
internal static class ClientOptionsFactory
{
    /// <summary>Options for <paramref name="arguments"/>; a missing -i becomes "smqtt-PID-RANDOM", like mosquitto's "mosq-…".</summary>
    public static MqttClientOptions Create(CliArguments arguments)
    {
        if (arguments.StoreDirectory is not null && (!arguments.PersistentSession || arguments.ClientId is null))
        {
            throw new UsageException("--store keeps a session across runs, so it needs one the broker keeps too: add -c and -i ID (the same ID on every run).");
        }

        var options = new MqttClientOptions
        {
            Server = arguments.Host,
            Port = arguments.Port,
            Servers = arguments.Servers is { } servers ? [.. servers] : null,
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
            StoreDirectory = arguments.StoreDirectory,
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

    /// <summary>
    /// The client for <paramref name="options"/>; with -d every transport it dials is wrapped by
    /// <see cref="Debug.DebugTransport"/>. Dispose the returned lifetime, not the client: under -d it also waits for the last packets to be printed.
    /// </summary>
    public static (MqttClient Client, IAsyncDisposable Lifetime) CreateClient(CliArguments arguments, MqttClientOptions options, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(options);
        if (!arguments.Debug)
        {
            var plain = new MqttClient(options);
            return (plain, plain);
        }

        // Every server's transport is watched, so failover under -d goes on printing on whichever server it reaches.
        var debug = new Debug.DebugTransport(options.ClientId, stderr);
        var client = new MqttClient(options, timeProvider: null, loggerFactory: null, transport: null, scheduler: null, observer: null, tables: null, wrapTransport: debug.Wrap);
        return (client, new DebugLifetime(client, debug));
    }

    /// <summary>Disposes the client, then lets -d print what the client wrote last before the process may exit.</summary>
    private sealed class DebugLifetime(MqttClient client, Debug.DebugTransport debug) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await client.DisposeAsync().ConfigureAwait(false);
            await debug.DrainAsync().ConfigureAwait(false);
        }
    }

    private static string GeneratedClientId() =>
        string.Create(CultureInfo.InvariantCulture, $"smqtt-{Environment.ProcessId}-{Random.Shared.Next(0x10000):x4}");
}
