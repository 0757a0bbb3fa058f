using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using StateMachineMqtt.Spec;

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
            TlsVerdict? verdict = null;
            X509Certificate2? clientCertificate = null;
            if (_tls is not null)
            {
                clientCertificate = await ClientCertificateAsync(_tls, cancellationToken).ConfigureAwait(false);
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                verdict = new TlsVerdict();
                try
                {
                    await ssl.AuthenticateAsClientAsync(TlsClientAuthentication.CreateOptions(_tls, _host, verdict, clientCertificate), cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (AuthenticationException e)
                {
                    throw Explain(verdict, e);
                }
            }

            return new StreamLink(socket, stream)
            {
                // Under TLS 1.3 the server judges the missing certificate after the handshake: remembered for the driver.
                CertificateRequestUnanswered = verdict?.CertificateRequested == true && (clientCertificate ?? _tls?.ClientCertificate) is null,
            };
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

    /// <summary>The client certificate to present on this handshake: the provider's, asked afresh, or the fixed one.</summary>
    private static async ValueTask<X509Certificate2?> ClientCertificateAsync(MqttTlsOptions tls, CancellationToken cancellationToken)
    {
        if (tls.ClientCertificateProvider is not { } provider)
        {
            return null;
        }

        X509Certificate2? certificate;
        try
        {
            certificate = await provider(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new MqttTlsException(TlsFailure.ClientCertificateUnavailable, $"the client certificate provider failed: {e.GetType().Name}: {e.Message}", e);
        }

        if (certificate is { HasPrivateKey: false })
        {
            throw new MqttTlsException(TlsFailure.ClientCertificateUnavailable, $"the client certificate provider returned '{certificate.Subject}' without its private key");
        }

        return certificate;
    }

    /// <summary>A refused handshake, said in the terms of spec/'s <see cref="TlsFailure"/>.</summary>
    private static MqttTlsException Explain(TlsVerdict verdict, AuthenticationException e)
    {
        if (verdict.Failure is { } failure)
        {
            return new MqttTlsException(failure, verdict.Detail, e);
        }

        string seen = TlsAlerts.Describe(e);
        if (verdict.Accepted || TlsAlerts.IsRefusalAlert(e))
        {
            // The server ended the handshake after we accepted it, or with an alert refusing us: it did not accept our
            // certificate (TLS 1.2 judges it within the handshake; the callback may not have run yet).
            return new MqttTlsException(TlsFailure.RefusedByServer, seen, e);
        }

        return new MqttTlsException(TlsAlerts.IsVersionMismatch(e) ? TlsFailure.VersionMismatch : TlsFailure.HandshakeFailed, seen, e);
    }

    /// <inheritdoc />
    public override string ToString() => $"{(_tls is null ? "tcp" : "tls")}://{_host}:{_port}";
}
