using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using StateMachineMqtt.Spec;
using StateMachineMqtt.Transport;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Transport;

public sealed class TlsTransportTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public async Task A_server_certificate_from_an_unknown_CA_is_rejected_by_default()
    {
        await using var server = new LoopbackTlsServer(_certificates.Server);
        var transport = new TcpTransport("127.0.0.1", server.Port, new MqttTlsOptions());

        var error = await Assert.ThrowsAsync<MqttTlsException>(() => transport.ConnectAsync(CancellationToken.None).AsTask());

        Assert.Equal(ConnectionTrigger.ConfigurationError, SocketErrorClassifier.Classify(error));
        Assert.Equal(TlsFailure.UntrustedCertificate, error.Failure);
    }

    [Fact]
    public async Task A_trusted_CA_lets_the_link_carry_bytes_both_ways()
    {
        await using var server = new LoopbackTlsServer(_certificates.Server);
        var transport = new TcpTransport("127.0.0.1", server.Port, new MqttTlsOptions
        {
            TargetHost = "localhost",
            TrustedCertificateAuthorities = Trust(_certificates.Authority),
        });

        await using IMqttLink link = await transport.ConnectAsync(CancellationToken.None);
        SslStream serverStream = await server.Handshake.WaitAsync(LinkIo.Patience);

        await LinkIo.WriteAsync(link.Output, "PINGREQ");
        Assert.Equal("PINGREQ", await LinkIo.ReadAsync(serverStream, 7));
        await LinkIo.WriteAsync(serverStream, "PINGRESP");
        Assert.Equal("PINGRESP", await LinkIo.ReadAsync(link.Input, 8));
        Assert.Null(server.ClientCertificateThumbprint);
    }

    [Fact]
    public async Task The_host_name_is_checked_against_the_certificate()
    {
        await using var server = new LoopbackTlsServer(_certificates.Server);
        var transport = new TcpTransport("127.0.0.1", server.Port, new MqttTlsOptions
        {
            TargetHost = "broker.example.com",
            TrustedCertificateAuthorities = Trust(_certificates.Authority),
        });

        var error = await Assert.ThrowsAsync<MqttTlsException>(() => transport.ConnectAsync(CancellationToken.None).AsTask());

        Assert.Equal(ConnectionTrigger.ConfigurationError, SocketErrorClassifier.Classify(error));
        Assert.Equal(TlsFailure.HostNameMismatch, error.Failure);
        Assert.Contains("'broker.example.com'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trusted_CA_does_not_vouch_for_a_certificate_it_did_not_issue()
    {
        using TestCertificates other = TestCertificates.Create();
        await using var server = new LoopbackTlsServer(other.Server);
        var transport = new TcpTransport("127.0.0.1", server.Port, new MqttTlsOptions
        {
            TrustedCertificateAuthorities = Trust(_certificates.Authority),
        });

        var error = await Assert.ThrowsAsync<MqttTlsException>(() => transport.ConnectAsync(CancellationToken.None).AsTask());
        Assert.Equal(TlsFailure.UntrustedCertificate, error.Failure);
    }

    [Fact]
    public async Task Without_a_target_host_the_address_itself_is_checked_against_the_certificate()
    {
        await using var server = new LoopbackTlsServer(_certificates.Server);
        var tls = new MqttTlsOptions
        {
            TrustedCertificateAuthorities = Trust(_certificates.Authority),
        };
        var transport = new TcpTransport("127.0.0.1", server.Port, tls);

        // The certificate names IP 127.0.0.1, so connecting by that address passes the name check.
        await using IMqttLink link = await transport.ConnectAsync(CancellationToken.None);
        SslStream serverStream = await server.Handshake.WaitAsync(LinkIo.Patience);

        // The name checked was the address dialled, and it was checked against the server's certificate, which names it.
        Assert.Equal("127.0.0.1", TlsClientAuthentication.CreateOptions(tls, "127.0.0.1").TargetHost);
        Assert.True(serverStream.IsAuthenticated && serverStream.IsEncrypted);
        Assert.Equal(_certificates.Server.GetCertHashString(), serverStream.LocalCertificate?.GetCertHashString());
        var ipNames = _certificates.Server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses();
        Assert.Equal(["127.0.0.1"], ipNames.Select(a => a.ToString()));
        // The link the check let through is the encrypted one: bytes flow both ways over it.
        await LinkIo.WriteAsync(link.Output, "PINGREQ");
        Assert.Equal("PINGREQ", await LinkIo.ReadAsync(serverStream, 7));
        await LinkIo.WriteAsync(serverStream, "PINGRESP");
        Assert.Equal("PINGRESP", await LinkIo.ReadAsync(link.Input, 8));
    }

    [Fact]
    public async Task The_client_certificate_reaches_the_server()
    {
        await using var server = new LoopbackTlsServer(_certificates.Server, requireClientCertificate: true);
        var transport = new TcpTransport("127.0.0.1", server.Port, new MqttTlsOptions
        {
            TrustedCertificateAuthorities = Trust(_certificates.Authority),
            ClientCertificate = _certificates.Client,
        });

        await using IMqttLink link = await transport.ConnectAsync(CancellationToken.None);
        await server.Handshake.WaitAsync(LinkIo.Patience);

        Assert.Equal(_certificates.Client.GetCertHashString(), server.ClientCertificateThumbprint);
    }

    [Fact]
    public async Task A_custom_validation_callback_replaces_the_default_check()
    {
        await using var server = new LoopbackTlsServer(_certificates.Server);
        SslPolicyErrors seen = SslPolicyErrors.None;
        var transport = new TcpTransport("127.0.0.1", server.Port, new MqttTlsOptions
        {
            ServerCertificateValidation = (_, _, _, errors) =>
            {
                seen = errors;
                return errors == SslPolicyErrors.RemoteCertificateChainErrors;
            },
        });

        await using IMqttLink link = await transport.ConnectAsync(CancellationToken.None);

        Assert.Equal(SslPolicyErrors.RemoteCertificateChainErrors, seen);
    }

    private static X509Certificate2Collection Trust(X509Certificate2 authority) =>
        new() { X509CertificateLoader.LoadCertificate(authority.RawData) };
}
