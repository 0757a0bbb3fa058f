using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Integration.Tls;

/// <summary>
/// The certificates a TLS test against Mosquitto needs, made in memory once per test class with CertificateRequest: a CA,
/// a good server certificate for "localhost" / 127.0.0.1, an expired one, one for another host, one from another CA, and
/// a client certificate for mutual TLS. <see cref="Directory"/> holds them as PEM files for the CLI's flags.
/// </summary>
public sealed class BrokerPki : IDisposable
{
    /// <summary>The one broker every test of a class shares: a plain listener and one TLS listener per case.</summary>
    public const string Good = "good", Expired = "expired", WrongHost = "wronghost", WrongCa = "wrongca", Mutual = "mutual", Mutual13 = "mutual13", Tls13 = "tls13";

    private readonly DirectoryInfo _directory = System.IO.Directory.CreateTempSubdirectory("smqtt-pki-");

    public BrokerPki()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        (Authority, AuthorityKey) = CreateAuthority("CN=smqtt test CA", now);
        (OtherAuthority, OtherAuthorityKey) = CreateAuthority("CN=smqtt other CA", now);
        Server = Issue(Authority, AuthorityKey, "CN=localhost", ["localhost"], server: true, now.AddDays(-1), now.AddDays(2));
        ExpiredServer = Issue(Authority, AuthorityKey, "CN=localhost (expired)", ["localhost"], server: true, now.AddDays(-10), now.AddDays(-3));
        WrongHostServer = Issue(Authority, AuthorityKey, "CN=elsewhere.example", ["elsewhere.example"], server: true, now.AddDays(-1), now.AddDays(2), ip: false);
        OtherCaServer = Issue(OtherAuthority, OtherAuthorityKey, "CN=localhost (other CA)", ["localhost"], server: true, now.AddDays(-1), now.AddDays(2));
        Client = Issue(Authority, AuthorityKey, "CN=smqtt-test-client", [], server: false, now.AddDays(-1), now.AddDays(2), ip: false);
        File.WriteAllText(CaFile, Authority.ExportCertificatePem());
        File.WriteAllText(OtherCaFile, OtherAuthority.ExportCertificatePem());
        File.WriteAllText(ClientCertFile, Client.ExportCertificatePem());
        File.WriteAllText(ClientKeyFile, KeyPem(Client));
    }

    public X509Certificate2 Authority { get; }
    public X509Certificate2 OtherAuthority { get; }
    public X509Certificate2 Server { get; }
    public X509Certificate2 ExpiredServer { get; }
    public X509Certificate2 WrongHostServer { get; }
    public X509Certificate2 OtherCaServer { get; }
    public X509Certificate2 Client { get; }
    private ECDsa AuthorityKey { get; }
    private ECDsa OtherAuthorityKey { get; }

    /// <summary>The folder of the PEM files below.</summary>
    public string Directory => _directory.FullName;
    public string CaFile => Path.Combine(Directory, "ca.crt");
    public string OtherCaFile => Path.Combine(Directory, "other-ca.crt");
    public string ClientCertFile => Path.Combine(Directory, "client.crt");
    public string ClientKeyFile => Path.Combine(Directory, "client.key");

    /// <summary>A renewed client certificate: a new key and serial, the same subject and CA.</summary>
    public X509Certificate2 RenewClient()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return Issue(Authority, AuthorityKey, "CN=smqtt-test-client", [], server: false, now.AddDays(-1), now.AddDays(2), ip: false);
    }

    /// <summary>The CA as the client's trust anchors.</summary>
    public X509Certificate2Collection Trust() => [X509CertificateLoader.LoadCertificate(Authority.RawData)];

    /// <summary>Every listener a test class uses, each with its own certificate and demands.</summary>
    public IReadOnlyList<MosquittoTlsListener> Listeners() =>
    [
        Listener(Good, Server),
        Listener(Expired, ExpiredServer),
        Listener(WrongHost, WrongHostServer),
        Listener(WrongCa, OtherCaServer),
        Listener(Mutual, Server, requireCertificate: true, version: "tlsv1.2"),
        Listener(Mutual13, Server, requireCertificate: true, version: "tlsv1.3"),
        Listener(Tls13, Server, version: "tlsv1.3"),
    ];

    public void Dispose()
    {
        foreach (X509Certificate2 certificate in new[] { Authority, OtherAuthority, Server, ExpiredServer, WrongHostServer, OtherCaServer, Client })
        {
            certificate.Dispose();
        }

        AuthorityKey.Dispose();
        OtherAuthorityKey.Dispose();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private MosquittoTlsListener Listener(string name, X509Certificate2 certificate, bool requireCertificate = false, string? version = null) => new()
    {
        Name = name,
        CertificatePem = certificate.ExportCertificatePem(),
        KeyPem = KeyPem(certificate),
        ClientAuthorityPem = Authority.ExportCertificatePem(),
        RequireCertificate = requireCertificate,
        TlsVersion = version,
    };

    private static string KeyPem(X509Certificate2 certificate)
    {
        using ECDsa key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The test certificate has no private key.");
        return key.ExportPkcs8PrivateKeyPem();
    }

    private static (X509Certificate2, ECDsa) CreateAuthority(string subject, DateTimeOffset now)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return (request.CreateSelfSigned(now.AddDays(-30), now.AddDays(30)), key);
    }

    private static X509Certificate2 Issue(
        X509Certificate2 authority, ECDsa authorityKey, string subject, string[] dnsNames, bool server, DateTimeOffset notBefore, DateTimeOffset notAfter, bool ip = true)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (dnsNames.Length > 0 || (server && ip))
        {
            var names = new SubjectAlternativeNameBuilder();
            foreach (string name in dnsNames)
            {
                names.AddDnsName(name);
            }

            if (server && ip)
            {
                names.AddIpAddress(IPAddress.Loopback);
            }

            request.CertificateExtensions.Add(names.Build());
        }

        // The generator signs with the CA's key; its notAfter must lie within the CA's.
        var generator = X509SignatureGenerator.CreateForECDsa(authorityKey);
        byte[] serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7F;
        using X509Certificate2 issued = request.Create(authority.SubjectName, generator, notBefore, notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }
}
