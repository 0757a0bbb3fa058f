using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace StateMachineMqtt.PropertyTests.Resilience;

/// <summary>
/// Two network namespaces joined by a veth pair — a client side and a broker side with private 10.x addresses that exist
/// only inside them — so a test can make the broker silently unreachable with iptables without touching the host's own
/// network. Sockets for the client side are created inside its namespace (<see cref="CreateClientSocket"/>). Dispose
/// deletes both namespaces, which removes the veth pair and every rule in them.
/// </summary>
internal sealed class NetworkNamespacePair : IAsyncDisposable
{
    private const int CloneNewNet = 0x40000000;
    private const string Ip = ToolRequirements.IpPath;
    private readonly List<string[]> _rules = [];

    private NetworkNamespacePair(string client, string broker, int subnet)
    {
        ClientNamespace = client;
        BrokerNamespace = broker;
        ClientAddress = IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"10.231.{subnet}.1"));
        BrokerAddress = IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"10.231.{subnet}.2"));
    }

    /// <summary>The client side's namespace name.</summary>
    public string ClientNamespace { get; }

    /// <summary>The broker side's namespace name.</summary>
    public string BrokerNamespace { get; }

    /// <summary>The client end of the veth pair (inside <see cref="ClientNamespace"/> only).</summary>
    public IPAddress ClientAddress { get; }

    /// <summary>The broker end of the veth pair (inside <see cref="BrokerNamespace"/> only).</summary>
    public IPAddress BrokerAddress { get; }

    /// <summary>Creates both namespaces and the link; on any failure removes what was made.</summary>
    public static async Task<NetworkNamespacePair> CreateAsync()
    {
        int id = Random.Shared.Next(0x10000);
        string tag = id.ToString("x4", CultureInfo.InvariantCulture);
        var pair = new NetworkNamespacePair($"smqtt-c-{tag}", $"smqtt-b-{tag}", id % 250 + 1);
        try
        {
            await HostCommand.RunAsync(Ip, "netns", "add", pair.ClientNamespace);
            await HostCommand.RunAsync(Ip, "netns", "add", pair.BrokerNamespace);
            // The veth ends are created straight inside the namespaces: nothing of it ever appears in the host's namespace.
            await HostCommand.RunAsync(Ip, "-n", pair.ClientNamespace, "link", "add", "veth-c", "type", "veth", "peer", "name", "veth-b", "netns", pair.BrokerNamespace);
            await pair.ConfigureAsync(pair.ClientNamespace, "veth-c", pair.ClientAddress);
            await pair.ConfigureAsync(pair.BrokerNamespace, "veth-b", pair.BrokerAddress);
            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    /// <summary>Silently drops every TCP segment to and from <paramref name="port"/> on the broker side: a half-open link.</summary>
    public async Task DropBrokerTrafficAsync(int port)
    {
        string p = port.ToString(CultureInfo.InvariantCulture);
        foreach (var rule in new[] { new[] { "INPUT", "-p", "tcp", "--dport", p, "-j", "DROP" }, ["OUTPUT", "-p", "tcp", "--sport", p, "-j", "DROP"] })
        {
            await HostCommand.RunAsync(ToolRequirements.IpPath, ["netns", "exec", BrokerNamespace, ToolRequirements.IptablesPath, "-I", .. rule]);
            _rules.Add(rule);
        }
    }

    /// <summary>Removes the DROP rules again.</summary>
    public async Task RestoreBrokerTrafficAsync()
    {
        foreach (var rule in _rules)
        {
            await HostCommand.RunAsync(ToolRequirements.IpPath, ["netns", "exec", BrokerNamespace, ToolRequirements.IptablesPath, "-D", .. rule]);
        }

        _rules.Clear();
    }

    /// <summary>A TCP socket that lives in the client namespace (made on a short-lived thread that enters it).</summary>
    public Socket CreateClientSocket()
    {
        Socket? socket = null;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                // setns moves only this thread; the socket keeps the namespace it was created in, and the thread then ends.
                using var handle = File.OpenHandle($"/var/run/netns/{ClientNamespace}");
                if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns into {ClientNamespace} failed: errno {Marshal.GetLastPInvokeError()}.");
                }

                socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        thread.Start();
        thread.Join();
        return socket ?? throw new InvalidOperationException("Could not create a socket in the client namespace.", error);
    }

    /// <summary>Deletes both namespaces: the veth pair and all rules go with them.</summary>
    public async ValueTask DisposeAsync()
    {
        await HostCommand.TryRunAsync(Ip, "netns", "del", ClientNamespace);
        await HostCommand.TryRunAsync(Ip, "netns", "del", BrokerNamespace);
    }

    private async Task ConfigureAsync(string ns, string device, IPAddress address)
    {
        await HostCommand.RunAsync(Ip, "-n", ns, "link", "set", "lo", "up");
        await HostCommand.RunAsync(Ip, "-n", ns, "addr", "add", $"{address}/30", "dev", device);
        await HostCommand.RunAsync(Ip, "-n", ns, "link", "set", device, "up");
    }

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNs(int fd, int nsType);
}
