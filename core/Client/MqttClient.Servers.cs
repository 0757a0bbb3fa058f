using StateMachineMqtt.Engine;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt;

/// <summary>
/// Broker failover, as mechanism only: the engine's OpenLink says which configured server (or which followed Server
/// Reference) to dial, and this dials it; which one comes next, and how long to wait, is the engine's (ServerRotationRules).
/// </summary>
public sealed partial class MqttClient
{
    private MqttServerEndpoint[] _servers = [];
    private IMqttTransport[] _transports = []; // one per server; the application's own transport alone when it gave one
    private MqttServerEndpoint _dialled = null!; // the server the current or last attempt dialled
    private Func<IMqttTransport, IMqttTransport> _wrapTransport = t => t;

    /// <param name="options">The servers, and the TLS settings each is dialled with.</param>
    /// <param name="transport">The application's own transport, which then stands for every server.</param>
    /// <param name="wrapTransport">Wraps every transport dialled (smqtt -d watches the bytes so); null: none.</param>
    private void SetUpServers(MqttClientOptions options, IMqttTransport? transport, Func<IMqttTransport, IMqttTransport>? wrapTransport)
    {
        _wrapTransport = wrapTransport ?? (t => t);
        _servers = options.EffectiveServers();
        _transports = transport is not null ? [_wrapTransport(transport)] : Array.ConvertAll(_servers, s => _wrapTransport(TransportFor(s, options.Tls)));
        _dialled = _servers[0];
    }

    /// <summary>
    /// The transport that dials <paramref name="server"/>: a WebSocket (ws://, wss://), or TCP (TLS when <paramref name="tls"/> is given).
    /// </summary>
    internal static IMqttTransport TransportFor(MqttServerEndpoint server, MqttTlsOptions? tls) => server.WebSocketUri is { } uri
        ? new WebSocketTransport(uri, tls)
        : new TcpTransport(server.Host, server.EffectivePort(tls is not null), tls);

    /// <summary>The transport for the engine's OpenLink: the listed server it names, or the Server Reference it follows.</summary>
    private IMqttTransport TransportToDial(EngineAction open)
    {
        if (open.ServerReference is { } reference)
        {
            // Malformed text from the broker fails this attempt (FormatException), and the engine goes on with the list.
            _dialled = MqttServerEndpoint.Parse(reference);
            return _wrapTransport(TransportFor(_dialled, _options.Tls));
        }

        int index = Math.Clamp(open.Server, 0, _transports.Length - 1);
        _dialled = _servers[Math.Min(open.Server, _servers.Length - 1)];
        return _transports[index];
    }

    /// <summary>The server an engine event names: a listed one by its index, or the reference that was dialled.</summary>
    private MqttServerEndpoint ServerOf(EngineEvent e) =>
        e.ServerReference is null ? _servers[Math.Clamp(e.Server, 0, _servers.Length - 1)] : _dialled;

    /// <summary>The port a server is dialled on, for logs and messages.</summary>
    private int PortOf(MqttServerEndpoint server) => server.EffectivePort(_options.Tls is not null);

    /// <summary>Where the client connects, in words: host:port, or every listed server.</summary>
    private string Where() => _servers.Length == 1
        ? Address(_servers[0])
        : "any of " + string.Join(", ", Array.ConvertAll(_servers, Address));

    private string Address(MqttServerEndpoint server) => server.IsWebSocket ? server.ToString() : server.Host + ":" + PortOf(server).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
