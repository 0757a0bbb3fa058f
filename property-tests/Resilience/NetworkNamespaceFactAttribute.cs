namespace StateMachineMqtt.PropertyTests.Resilience;

/// <summary>
/// A fact that needs network namespaces, veth pairs and iptables (root, the 'ip' and 'iptables' tools); skipped, with the
/// reason, where they are missing.
/// </summary>
public sealed class NetworkNamespaceFactAttribute : FactAttribute
{
    /// <summary>Where the tools are looked for.</summary>
    public const string Ip = "/usr/sbin/ip";

    /// <summary>iptables (legacy or nft flavour).</summary>
    public const string Iptables = "/usr/sbin/iptables";

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the test cannot create a namespace here.</summary>
    public NetworkNamespaceFactAttribute()
    {
        Skip = WhyNot();
    }

    /// <summary>Null when namespaces can be made; otherwise why not, and what to do.</summary>
    public static string? WhyNot()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "Real half-open links need Linux network namespaces; this is not Linux.";
        }

        if (Environment.UserName != "root")
        {
            return $"Creating network namespaces needs root (running as '{Environment.UserName}'); run the tests as root, as .ci/run does.";
        }

        if (!File.Exists(Ip) || !File.Exists(Iptables))
        {
            return $"Needs {Ip} (iproute2) and {Iptables} (iptables); install them (apt-get install iproute2 iptables).";
        }

        return File.Exists(Fixtures.Brokers.MosquittoBroker.ExecutablePath) ? null : Fixtures.Brokers.MosquittoBroker.NotInstalledReason;
    }
}
