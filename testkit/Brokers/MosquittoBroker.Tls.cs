using System.Globalization;

namespace StateMachineMqtt.TestKit.Brokers;

/// <summary>TLS listeners: each on its own loopback port next to the plain one, with its own certificate and settings.</summary>
public sealed partial class MosquittoBroker
{
    private IReadOnlyDictionary<string, int> _tlsPorts = new Dictionary<string, int>();

    /// <summary>
    /// Starts a broker with a plain listener (<see cref="Port"/>) and one TLS listener per entry of
    /// <paramref name="listeners"/>, whose PEM files are written to the broker's directory. Mosquitto runs as root here
    /// (<c>user root</c>), so it can read them.
    /// </summary>
    /// <param name="listeners">The TLS listeners; their names must differ.</param>
    /// <param name="extraConfiguration">Global lines (e.g. <c>password_file {dir}/passwords</c>), as for <see cref="StartAsync(IReadOnlyList{string}, IReadOnlyDictionary{string, string}?, CancellationToken)"/>.</param>
    /// <param name="files">Files to write to the broker's directory first, by name.</param>
    /// <param name="cancellationToken">Ends the wait for the broker to listen.</param>
    public static Task<MosquittoBroker> StartWithTlsAsync(
        IReadOnlyList<MosquittoTlsListener> listeners,
        IReadOnlyList<string>? extraConfiguration = null,
        IReadOnlyDictionary<string, string>? files = null,
        CancellationToken cancellationToken = default) =>
        StartWithTlsAsync(listeners, extraConfiguration, files, new Dictionary<string, string>(), cancellationToken);

    private static async Task<MosquittoBroker> StartWithTlsAsync(
        IReadOnlyList<MosquittoTlsListener> listeners,
        IReadOnlyList<string>? extraConfiguration,
        IReadOnlyDictionary<string, string>? files,
        IReadOnlyDictionary<string, string> environment,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(listeners);
        var lines = new List<string>(extraConfiguration ?? []);
        var allFiles = new Dictionary<string, string>(files ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (MosquittoTlsListener listener in listeners)
        {
            int port = LoopbackPorts.FindFree();
            ports.Add(listener.Name, port);
            allFiles[$"{listener.Name}.crt"] = listener.CertificatePem;
            allFiles[$"{listener.Name}.key"] = listener.KeyPem;
            allFiles[$"{listener.Name}-ca.crt"] = listener.ClientAuthorityPem;
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"listener {port} 127.0.0.1"));
            lines.Add($"certfile {{dir}}/{listener.Name}.crt");
            lines.Add($"keyfile {{dir}}/{listener.Name}.key");
            lines.Add($"cafile {{dir}}/{listener.Name}-ca.crt");
            if (listener.RequireCertificate)
            {
                lines.Add("require_certificate true");
            }

            if (listener.TlsVersion is { } version)
            {
                lines.Add($"tls_version {version}");
            }
        }

        MosquittoBroker broker = await StartAsync(lines, allFiles, environment, cancellationToken).ConfigureAwait(false);
        broker._tlsPorts = ports;
        return broker;
    }

    /// <summary>
    /// Starts a broker whose TLS listeners speak TLS 1.2 and nothing newer: Mosquitto 2.0's tls_version is only a floor, so
    /// the cap is OpenSSL's MaxProtocol, set for the broker process alone through an OPENSSL_CONF file.
    /// </summary>
    /// <param name="listeners">The TLS listeners, as for <see cref="StartWithTlsAsync"/>.</param>
    /// <param name="extraConfiguration">Global lines, as for <see cref="StartWithTlsAsync"/>.</param>
    /// <param name="files">Files to write to the broker's directory first, by name.</param>
    /// <param name="cancellationToken">Ends the wait for the broker to listen.</param>
    public static Task<MosquittoBroker> StartWithTls12OnlyAsync(
        IReadOnlyList<MosquittoTlsListener> listeners,
        IReadOnlyList<string>? extraConfiguration = null,
        IReadOnlyDictionary<string, string>? files = null,
        CancellationToken cancellationToken = default)
    {
        var allFiles = new Dictionary<string, string>(files ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            ["openssl-tls12.cnf"] = "openssl_conf = init\n[init]\nssl_conf = ssl\n[ssl]\nsystem_default = cap\n[cap]\nMaxProtocol = TLSv1.2\n",
        };
        return StartWithTlsAsync(listeners, extraConfiguration, allFiles, new Dictionary<string, string> { ["OPENSSL_CONF"] = "{dir}/openssl-tls12.cnf" }, cancellationToken);
    }

    /// <summary>The port of the TLS listener named <paramref name="name"/>.</summary>
    public int TlsPort(string name) => _tlsPorts.TryGetValue(name, out int port)
        ? port
        : throw new ArgumentException($"The broker has no TLS listener named '{name}'; it has: {string.Join(", ", _tlsPorts.Keys)}.", nameof(name));
}

/// <summary>One TLS listener of a <see cref="MosquittoBroker"/>: its certificate and key (PEM), and what it asks of clients.</summary>
public sealed class MosquittoTlsListener
{
    /// <summary>The listener's name: its files are called after it, and <see cref="MosquittoBroker.TlsPort"/> finds it by it.</summary>
    public required string Name { get; init; }

    /// <summary>The server certificate, PEM (followed by any intermediate CAs).</summary>
    public required string CertificatePem { get; init; }

    /// <summary>Its private key, PEM.</summary>
    public required string KeyPem { get; init; }

    /// <summary>The CA certificate(s), PEM, that client certificates must chain to (Mosquitto's cafile).</summary>
    public required string ClientAuthorityPem { get; init; }

    /// <summary>True: refuse clients that present no certificate issued by <see cref="ClientAuthorityPem"/> (mutual TLS).</summary>
    public bool RequireCertificate { get; init; }

    /// <summary>Mosquitto's tls_version, the oldest version the listener speaks (<c>tlsv1.2</c>, <c>tlsv1.3</c>), or null for its default.</summary>
    public string? TlsVersion { get; init; }
}
