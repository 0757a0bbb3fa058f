using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt.Cli.Commands;

/// <summary>
/// Turns --cafile / --cert / --key into TLS options. The one place the CLI touches certificates, so switching to
/// MqttTlsOptions.FromPemFiles (branch `transport`) is a one-line change here.
/// </summary>
internal static class TlsSettings
{
    /// <summary>TLS options for the flags given, or null for plain TCP. Unreadable files throw <see cref="UsageException"/>.</summary>
    public static MqttTlsOptions? FromArguments(CliArguments arguments)
    {
        if (!arguments.UsesTls)
        {
            return null;
        }

        var tls = new MqttTlsOptions();
        try
        {
            if (arguments.CaFile is { } ca)
            {
                var authorities = new X509Certificate2Collection();
                authorities.ImportFromPemFile(RequireFile("--cafile", ca));
                if (authorities.Count == 0)
                {
                    throw new UsageException($"--cafile {ca} holds no PEM certificate (expected -----BEGIN CERTIFICATE-----).");
                }

                tls.TrustedCertificateAuthorities = authorities;
            }

            if (arguments.CertFile is { } cert && arguments.KeyFile is { } key)
            {
                tls.ClientCertificate = X509Certificate2.CreateFromPemFile(RequireFile("--cert", cert), RequireFile("--key", key));
            }
        }
        catch (CryptographicException e)
        {
            throw new UsageException($"Could not load the TLS files: {e.Message}. Check that --cafile, --cert and --key are PEM files and that the key matches the certificate.", e);
        }

        return tls;
    }

    private static string RequireFile(string flag, string path) =>
        File.Exists(path) ? path : throw new UsageException($"{flag} {path}: no such file.");
}
