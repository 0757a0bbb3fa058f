using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace StateMachineMqtt.Transport;

/// <summary>TLS settings. The server certificate is validated against the system's trust store by default.</summary>
public sealed class MqttTlsOptions
{
    /// <summary>Host name the server certificate must match; defaults to the options' Server.</summary>
    public string? TargetHost { get; set; }

    /// <summary>Extra trust anchors (e.g. loaded from a CA file). When set, a chain ending in one of them is accepted.</summary>
    public X509Certificate2Collection? TrustedCertificateAuthorities { get; set; }

    /// <summary>Client certificate (with private key) for mutual TLS.</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>Custom server certificate check, replacing the default one. Use with care.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }

    /// <summary>TLS versions allowed; None lets the OS choose.</summary>
    public SslProtocols Protocols { get; set; } = SslProtocols.None;
}
