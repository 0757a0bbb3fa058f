using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace StateMachineMqtt.Transport;

/// <summary>TLS version floor, host-name check, key pinning and the client-certificate provider.</summary>
public sealed partial class MqttTlsOptions
{
    /// <summary>
    /// The oldest TLS version the client accepts: TLS 1.2 (the default) or TLS 1.3, as mosquitto's --tls-version.
    /// Ignored when <see cref="Protocols"/> names versions itself.
    /// </summary>
    public MqttTlsVersion MinimumVersion { get; set; } = MqttTlsVersion.Tls12;

    /// <summary>
    /// Check that the server certificate names the host (on by default). False skips only that check, as mosquitto's
    /// --insecure does: the chain must still end in a trusted CA. Use it for a broker reached by an address its
    /// certificate does not list, and only on a network you trust.
    /// </summary>
    public bool VerifyHostName { get; set; } = true;

    /// <summary>
    /// Certificate pinning: the SHA-256 hashes (base64, as <c>openssl ... | openssl dgst -sha256 -binary | base64</c> prints
    /// them) of the server public keys (SubjectPublicKeyInfo) to accept. When any are given, the server's certificate must
    /// also carry one of these keys, besides passing the usual checks. Empty, the default, pins nothing.
    /// </summary>
    public IReadOnlyList<string> PinnedPublicKeySha256 { get; set; } = [];

    /// <summary>
    /// Called before every TLS handshake for the client certificate (with its private key) to present, so a renewed
    /// certificate is used on the next connect; it replaces <see cref="ClientCertificate"/>. Null, the default, presents
    /// ClientCertificate. Returning null presents none. A provider that throws fails the connect as a TLS configuration
    /// error (<see cref="Spec.TlsFailure.ClientCertificateUnavailable"/>).
    /// </summary>
    public Func<CancellationToken, ValueTask<X509Certificate2?>>? ClientCertificateProvider { get; set; }

    /// <summary>The SPKI SHA-256 pin of <paramref name="certificate"/>'s public key, base64, as <see cref="PinnedPublicKeySha256"/> takes it.</summary>
    public static string PublicKeyPin(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
    }
}

/// <summary>The oldest TLS version a client accepts.</summary>
public enum MqttTlsVersion
{
    /// <summary>TLS 1.2 or 1.3.</summary>
    Tls12 = 0,

    /// <summary>TLS 1.3 only.</summary>
    Tls13 = 1,
}
