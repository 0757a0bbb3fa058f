using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using StateMachineMqtt.Transport;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Transport;

public sealed class MqttTlsOptionsPemTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create();
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("smqtt-pem-");

    public void Dispose()
    {
        _certificates.Dispose();
        _directory.Delete(recursive: true);
    }

    [Fact]
    public async Task PEM_files_give_options_that_trust_the_CA_and_present_the_client_certificate()
    {
        string caFile = Write("ca.pem", _certificates.Authority.ExportCertificatePem());
        string certFile = Write("client.pem", _certificates.Client.ExportCertificatePem());
        string keyFile = Write("client.key", _certificates.Client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

        MqttTlsOptions options = MqttTlsOptions.FromPemFiles(caFile, certFile, keyFile);

        Assert.Equal(_certificates.Authority.GetCertHashString(), Assert.Single(options.TrustedCertificateAuthorities!).GetCertHashString());
        Assert.True(options.ClientCertificate!.HasPrivateKey);
        await using var server = new LoopbackTlsServer(_certificates.Server, requireClientCertificate: true);
        await using IMqttLink link = await new TcpTransport("127.0.0.1", server.Port, options).ConnectAsync(CancellationToken.None);
        await server.Handshake.WaitAsync(LinkIo.Patience);
        Assert.Equal(_certificates.Client.GetCertHashString(), server.ClientCertificateThumbprint);
    }

    [Fact]
    public void A_key_inside_the_certificate_file_is_found()
    {
        string both = Write("client-with-key.pem",
            _certificates.Client.ExportCertificatePem() + "\n" + _certificates.Client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

        MqttTlsOptions options = MqttTlsOptions.FromPemFiles(null, both, null);

        Assert.Null(options.TrustedCertificateAuthorities);
        Assert.True(options.ClientCertificate!.HasPrivateKey);
    }

    [Fact]
    public void No_files_give_default_options()
    {
        MqttTlsOptions options = MqttTlsOptions.FromPemFiles(null, null, null);

        Assert.Null(options.TrustedCertificateAuthorities);
        Assert.Null(options.ClientCertificate);
    }

    [Fact]
    public void A_missing_file_is_named_in_the_error()
    {
        string missing = Path.Combine(_directory.FullName, "nope.pem");

        var error = Assert.Throws<FileNotFoundException>(() => MqttTlsOptions.FromPemFiles(missing, null, null));

        Assert.Contains("CA certificate file", error.Message, StringComparison.Ordinal);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_CA_file_without_certificates_is_refused()
    {
        string garbage = Write("garbage.pem", "this is not PEM");

        var error = Assert.Throws<ArgumentException>(() => MqttTlsOptions.FromPemFiles(garbage, null, null));

        Assert.Contains(garbage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_that_does_not_match_the_certificate_is_refused()
    {
        string certFile = Write("client.pem", _certificates.Client.ExportCertificatePem());
        using ECDsa stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string keyFile = Write("other.key", stranger.ExportPkcs8PrivateKeyPem());

        var error = Assert.Throws<ArgumentException>(() => MqttTlsOptions.FromPemFiles(null, certFile, keyFile));

        Assert.Contains("key belongs to the certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_without_a_certificate_is_refused()
    {
        string keyFile = Write("client.key", _certificates.Client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

        var error = Assert.Throws<ArgumentException>(() => MqttTlsOptions.FromPemFiles(null, null, keyFile));

        Assert.Equal("keyFile", error.ParamName);
    }

    private string Write(string name, string content)
    {
        string path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }
}
