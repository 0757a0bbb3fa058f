using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace StateMachineMqtt.PropertyTests.Transport;

/// <summary>A throwaway CA with a server certificate for "localhost" / 127.0.0.1 and a client certificate, made in memory.</summary>
internal sealed class TestCertificates : IDisposable
{
    private TestCertificates(X509Certificate2 authority, X509Certificate2 server, X509Certificate2 client)
    {
        Authority = authority;
        Server = server;
        Client = client;
    }

    /// <summary>The self-signed CA (with its key).</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>Server certificate for DNS "localhost" and IP 127.0.0.1, issued by <see cref="Authority"/>.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>Client certificate "CN=test-client", issued by <see cref="Authority"/>.</summary>
    public X509Certificate2 Client { get; }

    public static TestCertificates Create()
    {
        DateTimeOffset notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        DateTimeOffset notAfter = notBefore.AddDays(3);

        using ECDsa authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authorityRequest = new CertificateRequest("CN=StateMachineMqtt Test CA", authorityKey, HashAlgorithmName.SHA256);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        authorityRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(authorityRequest.PublicKey, false));
        X509Certificate2 authority = authorityRequest.CreateSelfSigned(notBefore, notAfter);

        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        X509Certificate2 server = Issue(authority, "CN=localhost", names.Build(), "1.3.6.1.5.5.7.3.1", 2, notBefore, notAfter);
        X509Certificate2 client = Issue(authority, "CN=test-client", null, "1.3.6.1.5.5.7.3.2", 3, notBefore, notAfter);
        return new TestCertificates(authority, server, client);
    }

    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
        Client.Dispose();
    }

    private static X509Certificate2 Issue(
        X509Certificate2 authority, string subject, X509Extension? names, string usageOid, byte serial,
        DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid(usageOid) }, false));
        if (names is not null)
        {
            request.CertificateExtensions.Add(names);
        }

        using X509Certificate2 issued = request.Create(authority, notBefore, notAfter, new byte[] { serial });
        return issued.CopyWithPrivateKey(key);
    }
}
