using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace StateMachineMqtt.Transport;

/// <summary>Turns <see cref="MqttTlsOptions"/> into the SslStream client options.</summary>
internal static class TlsClientAuthentication
{
    /// <summary>
    /// Builds the options: the host name is always checked; the chain is built against the system store,
    /// or only against <see cref="MqttTlsOptions.TrustedCertificateAuthorities"/> when those are given.
    /// </summary>
    public static SslClientAuthenticationOptions CreateOptions(MqttTlsOptions tls, string host)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = tls.TargetHost ?? host,
            EnabledSslProtocols = tls.Protocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = tls.ServerCertificateValidation,
        };

        if (tls.TrustedCertificateAuthorities is { Count: > 0 } authorities)
        {
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(authorities);
            options.CertificateChainPolicy = policy;
        }

        if (tls.ClientCertificate is { } clientCertificate)
        {
            options.ClientCertificates = new X509CertificateCollection { clientCertificate };
            // Offer the certificate whatever issuers the server lists: the user chose it explicitly.
            options.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }

        return options;
    }
}
