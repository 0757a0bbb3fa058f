using StateMachineMqtt.TestKit.Brokers;
namespace StateMachineMqtt.PropertyTests.Fixtures.Requirements;

/// <summary>
/// The one place that decides whether a test that needs a <see cref="Tool"/> runs, is skipped, or fails. Missing tools skip
/// the test with a reason that names the Debian package; with <c>SMQTT_REQUIRE_TOOLS=1</c> (as .ci/run sets) they fail it
/// instead, so CI never silently loses the real-network and model-checking evidence.
/// </summary>
public static class ToolRequirements
{
    /// <summary>The environment variable that turns a missing tool from a skip into a failure.</summary>
    public const string RequireVariable = "SMQTT_REQUIRE_TOOLS";

    /// <summary>The broker binary's path, as Debian installs it.</summary>
    public const string MosquittoPath = StateMachineMqtt.TestKit.Brokers.MosquittoBroker.ExecutablePath;

    /// <summary>The subscriber client's path, as Debian installs it.</summary>
    public const string MosquittoSubPath = "/usr/bin/mosquitto_sub";

    /// <summary>The publisher client's path, as Debian installs it.</summary>
    public const string MosquittoPubPath = "/usr/bin/mosquitto_pub";

    /// <summary>iproute2's ip.</summary>
    public const string IpPath = "/usr/sbin/ip";

    /// <summary>iptables (legacy or nft flavour).</summary>
    public const string IptablesPath = "/usr/sbin/iptables";

    /// <summary>True when <c>SMQTT_REQUIRE_TOOLS=1</c>: a missing tool fails its tests.</summary>
    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Null when every tool is here; otherwise what is missing and which package to install.</summary>
    public static string? WhyMissing(IEnumerable<Tool> tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var reasons = tools.Distinct().Select(WhyMissing).OfType<string>().ToList();
        return reasons.Count == 0 ? null : string.Join(" ", reasons);
    }

    /// <summary>Null when <paramref name="tool"/> is here; otherwise what is missing and which package to install.</summary>
    public static string? WhyMissing(Tool tool) => tool switch
    {
        Tool.Mosquitto => File.Exists(MosquittoPath) ? null : $"Mosquitto is not installed at {MosquittoPath}: apt-get install mosquitto.",
        Tool.MosquittoClients => File.Exists(MosquittoSubPath) && File.Exists(MosquittoPubPath)
            ? null
            : $"mosquitto_sub / mosquitto_pub are not installed in /usr/bin: apt-get install mosquitto-clients.",
        Tool.Spin => (OnPath("spin"), OnPath("gcc")) switch
        {
            (true, true) => null,
            (false, true) => "spin is not on PATH: apt-get install spin.",
            (true, false) => "gcc (which compiles spin's verifiers) is not on PATH: apt-get install gcc.",
            _ => "spin and gcc are not on PATH: apt-get install spin gcc.",
        },
        Tool.Graphviz => OnPath("dot") ? null : "Graphviz's dot is not on PATH: apt-get install graphviz.",
        Tool.PseudoTerminal => OnPath("script") ? null : "util-linux's script is not on PATH: apt-get install bsdutils.",
        Tool.NetworkNamespaces => WhyNoNamespaces(),
        Tool.AflFuzz => OnPath("afl-fuzz") ? null : "afl++'s afl-fuzz is not on PATH: apt-get install afl++.",
        _ => throw new ArgumentOutOfRangeException(nameof(tool), tool, "not a known tool"),
    };

    /// <summary>
    /// The decision for a test needing <paramref name="tools"/>: a skip reason (tools missing, not required), a failure
    /// message (tools missing and required), or neither (run it).
    /// </summary>
    public static (string? Skip, string? Failure) Decide(IEnumerable<Tool> tools) => Decide(WhyMissing(tools), Required);

    /// <summary>The decision, given what is missing (null: nothing) and whether tools are required.</summary>
    public static (string? Skip, string? Failure) Decide(string? missing, bool required)
    {
        if (missing is null)
        {
            return (null, null);
        }

        return required
            ? (null, $"{RequireVariable}=1, so this test must run, but: {missing}")
            : (missing + $" (With {RequireVariable}=1 this is a failure.)", null);
    }

    /// <summary>True when an executable named <paramref name="name"/> is in a PATH directory.</summary>
    public static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, name)));

    private static string? WhyNoNamespaces()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "Real half-open links need Linux network namespaces; this is not Linux.";
        }

        if (Environment.UserName != "root")
        {
            return $"Creating network namespaces needs root (running as '{Environment.UserName}'): run the tests as root, as .ci/run does.";
        }

        return File.Exists(IpPath) && File.Exists(IptablesPath)
            ? null
            : $"Needs {IpPath} and {IptablesPath}: apt-get install iproute2 iptables.";
    }
}
