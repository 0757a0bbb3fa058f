using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt.Cli.Commands;

/// <summary>
/// Turns --cafile / --capath / --cert / --key / --insecure / --tls-version into TLS options: the one place the CLI touches
/// certificates.
/// </summary>
internal static class TlsSettings
{
    /// <summary>TLS options for the flags given, or null for plain TCP. Missing or unreadable files throw <see cref="UsageException"/>.</summary>
    public static MqttTlsOptions? FromArguments(CliArguments arguments)
    {
        if (!arguments.UsesTls)
        {
            return null;
        }

        MqttTlsOptions options;
        try
        {
            options = MqttTlsOptions.FromPemFiles(arguments.CaFile, arguments.CertFile, arguments.KeyFile);
        }
        catch (FileNotFoundException e)
        {
            throw new UsageException($"{e.Message} Check the --cafile / --cert / --key paths.", e);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{e.Message} (--cafile, --cert and --key take PEM files.)", e);
        }

        if (arguments.CaPath is { } folder)
        {
            X509Certificate2Collection authorities = options.TrustedCertificateAuthorities ?? [];
            authorities.AddRange(LoadFolder(folder));
            options.TrustedCertificateAuthorities = authorities;
        }

        // As mosquitto's --insecure: only the host-name check goes; the chain must still end in a trusted CA.
        options.VerifyHostName = !arguments.Insecure;
        options.MinimumVersion = arguments.TlsVersion ?? MqttTlsVersion.Tls12;
        return options;
    }

    /// <summary>
    /// Every CA certificate in the *.crt and *.pem files of <paramref name="folder"/>. mosquitto also wants
    /// <c>openssl rehash</c> run there; smqtt reads the files themselves, so the hash links are not needed (and are skipped).
    /// </summary>
    private static X509Certificate2Collection LoadFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new UsageException($"--capath: the folder '{folder}' does not exist (full path: '{Path.GetFullPath(folder)}'). Give a folder of PEM CA certificates (*.crt or *.pem).");
        }

        var authorities = new X509Certificate2Collection();
        var files = Directory.EnumerateFiles(folder)
            .Where(f => f.EndsWith(".crt", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".pem", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
        foreach (string file in files)
        {
            try
            {
                authorities.ImportFromPemFile(file);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"--capath: '{file}' could not be read as a PEM certificate: {e.Message} Remove it from '{folder}' or fix it.", e);
            }
        }

        if (authorities.Count == 0)
        {
            throw new UsageException($"--capath: the folder '{folder}' holds no PEM certificate in a *.crt or *.pem file; put the CA certificates there, or use --cafile FILE.");
        }

        return authorities;
    }
}
