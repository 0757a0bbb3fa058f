using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace StateMachineMqtt.Transport;

/// <summary>TLS settings. The server certificate is validated against the system's trust store by default.</summary>
public sealed partial class MqttTlsOptions
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

    /// <summary>
    /// Creates TLS options from PEM files, as given on a command line.
    /// </summary>
    /// <param name="caFile">PEM file of one or more CA certificates to trust instead of the system store, or null.</param>
    /// <param name="certFile">PEM client certificate for mutual TLS, or null. May also hold the private key.</param>
    /// <param name="keyFile">PEM private key of the client certificate, or null when it is inside <paramref name="certFile"/>.</param>
    /// <returns>Options with the trust anchors and client certificate loaded.</returns>
    /// <exception cref="FileNotFoundException">A named file does not exist.</exception>
    /// <exception cref="ArgumentException">A file cannot be read or holds no usable PEM data, or a key is given without a certificate.</exception>
    public static MqttTlsOptions FromPemFiles(string? caFile, string? certFile, string? keyFile)
    {
        var options = new MqttTlsOptions();
        if (caFile is not null)
        {
            options.TrustedCertificateAuthorities = LoadAuthorities(caFile);
        }

        if (certFile is not null)
        {
            options.ClientCertificate = LoadClientCertificate(certFile, keyFile);
        }
        else if (keyFile is not null)
        {
            throw new ArgumentException(
                $"A private key file ('{keyFile}') was given without a client certificate file; give the certificate too, or drop the key.",
                nameof(keyFile));
        }

        return options;
    }

    private static X509Certificate2Collection LoadAuthorities(string caFile)
    {
        RequireFile(caFile, "CA certificate", nameof(caFile));
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(caFile);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"The CA certificate file '{caFile}' could not be read as PEM: {e.Message}", nameof(caFile), e);
        }

        if (authorities.Count == 0)
        {
            throw new ArgumentException(
                $"The CA certificate file '{caFile}' holds no certificate; expected one or more '-----BEGIN CERTIFICATE-----' blocks.",
                nameof(caFile));
        }

        return authorities;
    }

    private static X509Certificate2 LoadClientCertificate(string certFile, string? keyFile)
    {
        RequireFile(certFile, "client certificate", nameof(certFile));
        if (keyFile is not null)
        {
            RequireFile(keyFile, "private key", nameof(keyFile));
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certFile, keyFile);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            string key = keyFile is null ? "no separate key file (the key must then be in the certificate file)" : $"key file '{keyFile}'";
            throw new ArgumentException(
                $"The client certificate '{certFile}' with {key} could not be loaded: {e.Message.TrimEnd('.')}. Check that both are PEM and that the key belongs to the certificate.",
                nameof(certFile),
                e);
        }

        if (OperatingSystem.IsWindows())
        {
            // SChannel cannot use a key that lives only in memory; a PKCS#12 round trip gives it a usable one.
            using (certificate)
            {
                return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
            }
        }

        return certificate;
    }

    private static void RequireFile(string path, string what, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path, parameterName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The {what} file '{path}' does not exist (full path: '{Path.GetFullPath(path)}').", path);
        }
    }
}
