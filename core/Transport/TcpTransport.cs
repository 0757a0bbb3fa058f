using System.Net.Security;
using System.Net.Sockets;

namespace StateMachineMqtt.Transport;

/// <summary>
/// Opens TCP links to a broker, wrapped in TLS when <see cref="MqttTlsOptions"/> are given.
/// Failures are left as the OS reports them (SocketException, IOException, AuthenticationException);
/// <see cref="SocketErrorClassifier"/> turns them into Connection triggers.
/// </summary>
public sealed class TcpTransport : IMqttTransport
{
    private readonly string _host;
    private readonly int _port;
    private readonly MqttTlsOptions? _tls;

    /// <summary>Creates a transport for one broker address.</summary>
    /// <param name="host">Host name or IP address of the broker.</param>
    /// <param name="port">TCP port, 1..65535.</param>
    /// <param name="tls">TLS settings, or null for plain TCP.</param>
    public TcpTransport(string host, int port, MqttTlsOptions? tls = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, "The broker port must be between 1 and 65535.");
        }

        _host = host;
        _port = port;
        _tls = tls;
    }

    /// <inheritdoc />
    public async ValueTask<IMqttLink> ConnectAsync(CancellationToken cancellationToken)
    {
        // Dual-mode so that a host name resolving to IPv4 or IPv6 both work.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        Stream? stream = null;
        try
        {
            socket.NoDelay = true;
            await socket.ConnectAsync(_host, _port, cancellationToken).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (_tls is not null)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(TlsClientAuthentication.CreateOptions(_tls, _host), cancellationToken)
                    .ConfigureAwait(false);
            }

            return new StreamLink(socket, stream);
        }
        catch
        {
            // A cancelled or failed connect must not leave a half-open socket behind.
            socket.Dispose();
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{(_tls is null ? "tcp" : "tls")}://{_host}:{_port}";
}
