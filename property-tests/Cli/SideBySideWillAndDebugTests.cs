using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using StateMachineMqtt.Cli;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using StateMachineMqtt.TestKit.Brokers;
using Xunit.Abstractions;
using static StateMachineMqtt.PropertyTests.Cli.ClientProcesses;

namespace StateMachineMqtt.PropertyTests.Cli;

/// <summary>
/// The flags both commands share, side by side with mosquitto_sub / mosquitto_pub 2.0.11: <c>--will-*</c> (each client is
/// SIGKILLed, so the broker publishes its will) and <c>-d</c> (the packets each prints, in the same order and words).
/// smqtt runs as a real process here: a will needs the link to die without DISCONNECT.
/// </summary>
public sealed partial class SideBySideWillAndDebugTests(ITestOutputHelper output)
{
    [RequiresToolsTheory(Tool.Mosquitto, Tool.MosquittoClients)]
    [InlineData("3.1.1")]
    [InlineData("5")]
    public async Task Will_flags_make_the_broker_publish_the_will_mosquitto_sub_asks_for(string version)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // a hang guard, not the measure
        await using var broker = await MosquittoBroker.StartAsync(limit.Token);
        await using var witness = await MqttnetProbeClient.ConnectAsync(broker.Port, "will-witness", cancellationToken: limit.Token);
        await witness.SubscribeAsync("side/will/#", 1, limit.Token);

        string[] Will(string who) => ["-V", version == "5" ? "5" : "311", "-i", $"will-{who}", "-t", "side/quiet", "-q", "1", "-d",
            "--will-topic", $"side/will/{who}", "--will-payload", "gone away", "--will-qos", "1", "--will-retain"];
        // stdbuf -oL: mosquitto_sub's stdout is a pipe here, which stdio would buffer past its SUBACK line (stdbuf execs, so
        // the process killed is mosquitto_sub itself).
        using var theirs = Start("stdbuf", ["-oL", MosquittoSub, .. At(broker), .. Will("theirs")]);
        using var ours = StartSmqtt(["sub", .. At(broker), .. Will("ours")]);
        try
        {
            await SubscribedAsync(theirs, stderr: false, limit.Token);
            await SubscribedAsync(ours, stderr: true, limit.Token);
        }
        finally
        {
            theirs.Kill(); // SIGKILL: no DISCONNECT, so the broker must publish each will
            ours.Kill();
        }

        var live = new[] { await witness.Received.ReadAsync(limit.Token), await witness.Received.ReadAsync(limit.Token) };
        var theirsLive = Assert.Single(live, m => m.Topic == "side/will/theirs");
        var oursLive = Assert.Single(live, m => m.Topic == "side/will/ours");
        Assert.Equal((theirsLive.PayloadText, theirsLive.QualityOfService), (oursLive.PayloadText, oursLive.QualityOfService));
        Assert.Equal("gone away", oursLive.PayloadText);

        // --will-retain: a subscriber arriving later gets both as retained messages.
        await using var later = await MqttnetProbeClient.ConnectAsync(broker.Port, "will-later", cancellationToken: limit.Token);
        await later.SubscribeAsync("side/will/#", 1, limit.Token);
        var retained = new[] { await later.Received.ReadAsync(limit.Token), await later.Received.ReadAsync(limit.Token) };
        Assert.All(retained, m => Assert.True(m.Retain, $"{m.Topic} was not retained"));
        Assert.Equal(["gone away", "gone away"], retained.Select(m => m.PayloadText));
    }

    [RequiresToolsTheory(Tool.Mosquitto, Tool.MosquittoClients)]
    [InlineData("sub")]
    [InlineData("pub")]
    public async Task D_prints_the_packets_mosquitto_prints_in_the_same_order(string command)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var broker = await MosquittoBroker.StartAsync(limit.Token);
        var retain = await WaitAsync(Start(MosquittoPub, [.. At(broker), "-t", "side/d", "-m", "hello", "-r", "-q", "1"]), limit.Token);
        Assert.True(retain.Code == 0, retain.Err);

        string[] args = command == "sub"
            ? ["-t", "side/d", "-q", "1", "-C", "1", "-d"]
            : ["-t", "side/d2", "-q", "1", "-m", "hi", "-d"];
        var theirs = await WaitAsync(Start(command == "sub" ? MosquittoSub : MosquittoPub, [.. At(broker), "-i", "d-client", .. args]), limit.Token);
        var ours = await WaitAsync(StartSmqtt([command, .. At(broker), "-i", "d-client", .. args]), limit.Token);
        output.WriteLine($"mosquitto_{command} -d:{Environment.NewLine}{theirs.Out}{theirs.Err}smqtt {command} -d:{Environment.NewLine}{ours.Out}{ours.Err}");
        Assert.Equal(0, theirs.Code);
        Assert.Equal(0, ours.Code);

        // mosquitto prints its debug lines on stdout among the messages; smqtt keeps stdout for messages and prints them on
        // stderr (documented in cli/README.md). The packets, their direction and the PUBLISH flags must be the same.
        var theirPackets = Packets(theirs.Out);
        Assert.NotEmpty(theirPackets);
        Assert.Equal(theirPackets, Packets(ours.Err));
        Assert.Equal(command == "sub" ? "hello\n" : "", ours.Out);
    }

    /// <summary>"sending CONNECT", "received PUBLISH (d0, q1, r1, m1, 'side/d', ... (5 bytes))": direction, type, and a PUBLISH's flags.</summary>
    private static List<string> Packets(string debugOutput) =>
        [.. DebugLine().Matches(debugOutput).Select(m => m.Groups["type"].Value == "PUBLISH" ? $"{m.Groups["way"]} PUBLISH {m.Groups["rest"].Value.Trim()}" : $"{m.Groups["way"]} {m.Groups["type"]}")];

    [GeneratedRegex(@"^(?:smqtt: )?Client \S+ (?<way>sending|received) (?<type>[A-Z]+)(?<rest>[^\n]*)$", RegexOptions.Multiline)]
    private static partial Regex DebugLine();

    /// <summary>Waits until the client's -d output shows its SUBACK: from then on, its will is registered and its link up.</summary>
    private static async Task SubscribedAsync(Process process, bool stderr, CancellationToken cancellationToken)
    {
        StreamReader debug = stderr ? process.StandardError : process.StandardOutput;
        var seen = new List<string>();
        while (await debug.ReadLineAsync(cancellationToken) is { } line)
        {
            seen.Add(line);
            if (line.Contains("received SUBACK", StringComparison.Ordinal))
            {
                return;
            }
        }

        throw new InvalidOperationException($"the client ended before its SUBACK: {string.Join(" | ", seen)}");
    }
}
