using System.Globalization;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Transport;

/// <summary>Turns <see cref="MqttTlsOptions"/> into the SslStream client options, and says why a handshake was refused.</summary>
internal static class TlsClientAuthentication
{
    /// <summary>
    /// Builds the options: the host name is checked (unless VerifyHostName is false); the chain is built against the system
    /// store, or only against <see cref="MqttTlsOptions.TrustedCertificateAuthorities"/> when those are given; pins are
    /// checked on top. <paramref name="verdict"/>, when given, records why the server's certificate was refused.
    /// </summary>
    public static SslClientAuthenticationOptions CreateOptions(MqttTlsOptions tls, string host, TlsVerdict? verdict = null, X509Certificate2? clientCertificate = null)
    {
        verdict ??= new TlsVerdict();
        string targetHost = tls.TargetHost ?? host;
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            EnabledSslProtocols = Protocols(tls),
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (sender, certificate, chain, errors) => verdict.Judge(tls, targetHost, sender, certificate, chain, errors),
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

        X509Certificate2? chosen = clientCertificate ?? tls.ClientCertificate;
        if (chosen is not null)
        {
            options.ClientCertificates = new X509CertificateCollection { chosen };
        }

        // Offer the certificate whatever issuers the server lists (the user chose it explicitly), and note that the server
        // asked for one: under TLS 1.3 its refusal of none comes only after the handshake.
        options.LocalCertificateSelectionCallback = (_, _, _, _, _) =>
        {
            verdict.SelectionCalls++;

            return chosen!;
        };

        return options;
    }

    /// <summary>The versions enabled: <see cref="MqttTlsOptions.Protocols"/> when it names any, else from the minimum version.</summary>
    public static SslProtocols Protocols(MqttTlsOptions tls) =>
        tls.Protocols != SslProtocols.None ? tls.Protocols
        : tls.MinimumVersion == MqttTlsVersion.Tls13 ? SslProtocols.Tls13
        : SslProtocols.Tls12 | SslProtocols.Tls13;
}

/// <summary>What the validation callback found, so a refused handshake can say what was wrong.</summary>
internal sealed class TlsVerdict
{
    /// <summary>Set when the client refused the server's certificate.</summary>
    public TlsFailure? Failure { get; private set; }

    /// <summary>What was seen, for the message.</summary>
    public string Detail { get; private set; } = "";

    /// <summary>How often SslStream asked which client certificate to present: once as the handshake starts, again when the server asks for one.</summary>
    public int SelectionCalls { get; set; }

    /// <summary>True once the server asked for a client certificate (its CertificateRequest): the selection was asked again.</summary>
    public bool CertificateRequested => SelectionCalls > 1;

    /// <summary>True once the server's certificate was judged and accepted: a failure after that is the server's refusal.</summary>
    public bool Accepted { get; private set; }

    public bool Judge(MqttTlsOptions tls, string host, object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (tls.ServerCertificateValidation is { } custom)
        {
            if (!custom(sender, certificate, chain, errors))
            {
                return Refuse(TlsFailure.UntrustedCertificate, $"the ServerCertificateValidation callback refused {Subject(certificate)}");
            }
        }
        else
        {
            if (!tls.VerifyHostName)
            {
                errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
            }

            if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0 || certificate is null)
            {
                return Refuse(TlsFailure.NoServerCertificate, "no certificate in the handshake");
            }

            if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            {
                return RefuseChain(certificate, chain);
            }

            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                return Refuse(TlsFailure.HostNameMismatch, $"{Subject(certificate)} names {Names(certificate)}, not '{host}'");
            }
        }

        if (tls.PinnedPublicKeySha256.Count > 0 && certificate is not null)
        {
            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            string pin = MqttTlsOptions.PublicKeyPin(leaf);
            if (!tls.PinnedPublicKeySha256.Contains(pin, StringComparer.Ordinal))
            {
                return Refuse(TlsFailure.PinMismatch, $"{Subject(certificate)} has key pin {pin}, which is not among the {tls.PinnedPublicKeySha256.Count} pinned");
            }
        }

        Accepted = true;
        return true;
    }

    private bool RefuseChain(X509Certificate certificate, X509Chain? chain)
    {
        X509ChainStatusFlags flags = X509ChainStatusFlags.NoError;
        foreach (X509ChainStatus status in chain?.ChainStatus ?? [])
        {
            flags |= status.Status;
        }

        if ((flags & X509ChainStatusFlags.NotTimeValid) != 0 && certificate is X509Certificate2 dated)
        {
            return Refuse(TlsFailure.CertificateExpired, string.Create(CultureInfo.InvariantCulture,
                $"{Subject(certificate)} is valid from {dated.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} to {dated.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC; it is now {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
        }

        if ((flags & X509ChainStatusFlags.NotTimeValid) != 0)
        {
            return Refuse(TlsFailure.CertificateExpired, $"{Subject(certificate)} or a CA above it is out of its validity period");
        }

        return Refuse(TlsFailure.UntrustedCertificate, $"{Subject(certificate)}, issued by '{certificate.Issuer}': {(flags == X509ChainStatusFlags.NoError ? "chain error" : flags.ToString())}");
    }

    private bool Refuse(TlsFailure failure, string detail)
    {
        Failure = failure;
        Detail = detail;
        return false;
    }

    private static string Subject(X509Certificate? certificate) => certificate is null ? "no certificate" : $"the certificate '{certificate.Subject}'";

    private static string Names(X509Certificate certificate)
    {
        var names = new List<string>();
        if (certificate is X509Certificate2 c && c.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault() is { } san)
        {
            names.AddRange(san.EnumerateDnsNames());
            names.AddRange(san.EnumerateIPAddresses().Select(a => a.ToString()));
        }

        return names.Count == 0 ? "no DNS name or address" : string.Join(", ", names.Select(n => $"'{n}'"));
    }
}
