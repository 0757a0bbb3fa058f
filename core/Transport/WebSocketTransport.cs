using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.WebSockets;

namespace StateMachineMqtt.Transport;

/// <summary>
/// Opens MQTT-over-WebSocket links (ws:// or wss://, subprotocol "mqtt" [MQTT-6.0.0-3]): MQTT packets travel in binary
/// WebSocket messages, which the link reads and writes as one byte stream. TLS (wss) uses the same
/// <see cref="MqttTlsOptions"/> checks as TCP. Failures are left as the OS reports them, inside WebSocketException;
/// <see cref="SocketErrorClassifier"/> finds the SocketException within.
/// </summary>
public sealed class WebSocketTransport : IMqttTransport
{
    /// <summary>The WebSocket subprotocol MQTT is spoken under.</summary>
    public const string SubProtocol = "mqtt";

    private readonly Uri _uri;
    private readonly MqttTlsOptions? _tls;

    /// <summary>Creates a transport for one WebSocket endpoint.</summary>
    /// <param name="uri">The ws:// or wss:// URI, with the path the broker serves MQTT on (often /mqtt).</param>
    /// <param name="tls">TLS settings for wss://; null checks the certificate against the system's trust store.</param>
    public WebSocketTransport(Uri uri, MqttTlsOptions? tls = null)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri || (uri.Scheme != "ws" && uri.Scheme != "wss"))
        {
            throw new ArgumentException($"A WebSocket broker needs a ws:// or wss:// URI, e.g. ws://localhost:8080/mqtt; got '{uri}'.", nameof(uri));
        }

        _uri = uri;
        _tls = uri.Scheme == "wss" ? tls ?? new MqttTlsOptions() : null;
    }

    /// <inheritdoc />
    public async ValueTask<IMqttLink> ConnectAsync(CancellationToken cancellationToken)
    {
        var handler = new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        if (_tls is not null)
        {
            handler.SslOptions = TlsClientAuthentication.CreateOptions(_tls, _uri.IdnHost, null, _tls.ClientCertificate);
        }

        var invoker = new HttpMessageInvoker(handler, disposeHandler: true);
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(SubProtocol);
        socket.Options.HttpVersion = HttpVersion.Version11;
        socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        try
        {
            await socket.ConnectAsync(_uri, invoker, cancellationToken).ConfigureAwait(false);
            if (socket.SubProtocol != SubProtocol)
            {
                throw new IOException($"the server at {_uri} did not accept the WebSocket subprotocol \"{SubProtocol}\" (it answered '{socket.SubProtocol}'): is MQTT served on that path?");
            }

            return new WebSocketLink(socket, invoker);
        }
        catch
        {
            // A cancelled or failed connect must not leave a half-open socket behind.
            socket.Dispose();
            invoker.Dispose();
            throw;
        }
    }
}
