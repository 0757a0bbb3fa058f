using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace StateMachineMqtt.PropertyTests.Transport;

/// <summary>Accepts one TLS connection on 127.0.0.1 and completes the server side of the handshake.</summary>
internal sealed class LoopbackTlsServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private TcpClient? _accepted;
    private SslStream? _ssl;

    public LoopbackTlsServer(X509Certificate2 certificate, bool requireClientCertificate = false)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        Handshake = AcceptAsync(certificate, requireClientCertificate);
    }

    public int Port { get; }

    /// <summary>Completes with the server's stream once the handshake succeeds; faults when it fails.</summary>
    public Task<SslStream> Handshake { get; }

    /// <summary>Thumbprint of the certificate the client presented, if any (read after <see cref="Handshake"/>).</summary>
    public string? ClientCertificateThumbprint { get; private set; }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        if (_ssl is not null)
        {
            await _ssl.DisposeAsync();
        }

        _accepted?.Dispose();
        // Observe a failed handshake: the client-side test asserts on its own exception.
        await Handshake.ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    private async Task<SslStream> AcceptAsync(X509Certificate2 certificate, bool requireClientCertificate)
    {
        _accepted = await _listener.AcceptTcpClientAsync();
        _ssl = new SslStream(_accepted.GetStream(), leaveInnerStreamOpen: false);
        await _ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = certificate,
            ClientCertificateRequired = requireClientCertificate,
            // The test inspects the client certificate itself; the server only insists that one comes when asked.
            RemoteCertificateValidationCallback = (_, presented, _, _) =>
            {
                ClientCertificateThumbprint = presented?.GetCertHashString();
                return presented is not null || !requireClientCertificate;
            },
        });
        return _ssl;
    }
}
