using System.Globalization;

namespace StateMachineMqtt;

/// <summary>
/// One broker the client can dial: a host and port over TCP (TLS when the options' Tls is set), or a WebSocket URI
/// (ws:// or wss://). <see cref="Parse"/> reads "host", "host:port", "[::1]:port", "ws://host:port/path" and "wss://...".
/// </summary>
public sealed class MqttServerEndpoint
{
    /// <summary>A TCP endpoint.</summary>
    /// <param name="host">Host name or address of the broker.</param>
    /// <param name="port">Its port; null for the MQTT default (1883, or 8883 with TLS).</param>
    public MqttServerEndpoint(string host, int? port = null)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            throw new ArgumentException("A server needs a host, e.g. \"localhost\" or \"broker.example.com\".", nameof(host));
        }

        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, "A server's port must be between 1 and 65535 (1883 for MQTT, 8883 for MQTT over TLS).");
        }

        Host = host;
        Port = port;
    }

    /// <summary>A WebSocket endpoint (ws:// or wss://, with the path the broker serves MQTT on, often /mqtt).</summary>
    /// <param name="webSocketUri">The absolute ws:// or wss:// URI.</param>
    public MqttServerEndpoint(Uri webSocketUri)
    {
        ArgumentNullException.ThrowIfNull(webSocketUri);
        if (!webSocketUri.IsAbsoluteUri || (webSocketUri.Scheme != "ws" && webSocketUri.Scheme != "wss"))
        {
            throw new ArgumentException($"A WebSocket server must be an absolute ws:// or wss:// URI, e.g. ws://localhost:8080/mqtt; got '{webSocketUri}'.", nameof(webSocketUri));
        }

        WebSocketUri = webSocketUri;
        Host = webSocketUri.IdnHost;
        Port = webSocketUri.Port;
    }

    /// <summary>Host name or address.</summary>
    public string Host { get; }

    /// <summary>Port; null for the MQTT default of the transport.</summary>
    public int? Port { get; }

    /// <summary>The ws:// or wss:// URI for a WebSocket endpoint; null for TCP.</summary>
    public Uri? WebSocketUri { get; }

    /// <summary>True for a ws:// or wss:// endpoint.</summary>
    public bool IsWebSocket => WebSocketUri is not null;

    /// <summary>
    /// Reads one server: "host", "host:port", "[IPv6]:port", "ws://host:port/path" or "wss://host:port/path". Throws
    /// FormatException saying what was wrong.
    /// </summary>
    /// <param name="text">The server as written.</param>
    public static MqttServerEndpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string s = text.Trim();
        if (s.Length == 0)
        {
            throw new FormatException("A server is empty: write host, host:port, ws://host:port/path or wss://host:port/path.");
        }

        if (s.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(s, UriKind.Absolute, out Uri? uri) || (uri.Scheme != "ws" && uri.Scheme != "wss"))
            {
                throw new FormatException($"'{s}' is not a server this client dials: a URI must be ws:// or wss://, e.g. ws://localhost:8080/mqtt (for TCP write host:port).");
            }

            return new MqttServerEndpoint(uri);
        }

        string host = s;
        string? port = null;
        if (s.StartsWith('['))
        {
            int close = s.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < s.Length && s[close + 1] != ':'))
            {
                throw new FormatException($"'{s}': an IPv6 server is written [address] or [address]:port.");
            }

            host = s[1..close];
            port = close + 1 < s.Length ? s[(close + 2)..] : null;
        }
        else if (s.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 && colon == s.LastIndexOf(':'))
        {
            host = s[..colon];
            port = s[(colon + 1)..];
        }

        if (host.Length == 0)
        {
            throw new FormatException($"'{s}' has no host: write host:port, e.g. localhost:1883.");
        }

        if (port is null)
        {
            return new MqttServerEndpoint(host);
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number is < 1 or > 65535)
        {
            throw new FormatException($"'{s}': the port must be a number between 1 and 65535, e.g. localhost:1883.");
        }

        return new MqttServerEndpoint(host, number);
    }

    /// <summary>The port dialled: <see cref="Port"/>, or 1883 (8883 when <paramref name="tls"/>).</summary>
    /// <param name="tls">Whether the link is TLS.</param>
    public int EffectivePort(bool tls) => Port ?? (tls ? 8883 : 1883);

    /// <summary>As it would be written: the URI, or host:port ([IPv6]:port).</summary>
    public override string ToString() => WebSocketUri?.ToString()
        ?? (Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host) + (Port is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : "");
}
