using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using StateMachineMqtt.Cli;
using StateMachineMqtt.Cli.Commands;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using StateMachineMqtt.TestKit.Brokers;
using Xunit.Abstractions;
using static StateMachineMqtt.PropertyTests.Cli.ClientProcesses;

namespace StateMachineMqtt.PropertyTests.Cli;

/// <summary>
/// #11's flags work as mosquitto's do: each is run with mosquitto_pub / mosquitto_sub 2.0.11 and with smqtt, the same
/// arguments against the same Mosquitto, and what a witness receives (pub) or what is printed and the exit code (sub) must
/// be the same. Input comes from retained messages, so both subscribers see the same thing whenever they connect.
/// </summary>
public sealed partial class SideBySideWithMosquittoClientsTests(ITestOutputHelper output)
{
    [RequiresToolsTheory(Tool.Mosquitto, Tool.MosquittoClients)]
    [InlineData("file")]
    [InlineData("stdin")]
    [InlineData("null")]
    [InlineData("repeat")]
    public async Task Pub_flags_publish_what_mosquitto_pub_publishes(string flag)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var broker = await MosquittoBroker.StartAsync(limit.Token);
        await using var witness = await MqttnetProbeClient.ConnectAsync(broker.Port, "witness", cancellationToken: limit.Token);
        await witness.SubscribeAsync("side/#", 1, limit.Token);
        string file = Path.GetTempFileName();
        await File.WriteAllBytesAsync(file, [0x00, 0xFF, 0x0A, 0x0D, 0x0A, 0xC3, 0x28, 0x41], limit.Token);
        try
        {
            (string[] args, string? stdin, int count) = flag switch
            {
                "file" => (new[] { "-f", file }, (string?)null, 1),
                "stdin" => (["-s"], "line 1\nline 2\n\n", 1),
                "null" => (["-n"], null, 1),
                _ => (["-m", "again", "--repeat", "3", "--repeat-delay", "0"], null, 3),
            };
            var theirs = await RunToolAsync(MosquittoPub, [.. At(broker), "-q", "1", "-t", "side/mosquitto", .. args], stdin, limit.Token);
            Assert.True(theirs.Code == 0, theirs.Err);
            var ours = await RunSmqttAsync(["pub", .. At(broker), "-q", "1", "-t", "side/smqtt", .. args], stdin, limit.Token);
            Assert.True(ours.Code == 0, ours.Err);

            var received = new List<BrokerMessage>();
            while (received.Count < 2 * count)
            {
                received.Add(await witness.Received.ReadAsync(limit.Token));
            }

            byte[][] Payloads(string topic) => [.. received.Where(m => m.Topic == topic).Select(m => m.Payload)];
            Assert.Equal(count, Payloads("side/mosquitto").Length);
            Assert.Equal(Payloads("side/mosquitto"), Payloads("side/smqtt"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [RequiresToolsTheory(Tool.Mosquitto, Tool.MosquittoClients)]
    [InlineData("%t|%p|%x|%X|%l|%q|%r|%C|%D|%F|%P|%R|%A|%%")]
    // Widths on text and numbers only: mosquitto_sub 2.0.11 prints a hex payload (%x, %X) with a width cut short, against its
    // man page ("the minimum width"); smqtt keeps the whole value, as documented in cli/README.md.
    [InlineData("%10t|%-10t|%5.2t|%05l|%-5l|%20p|%-3q")]
    [InlineData(@"\0|\a|\e|\\|\t|%t")]
    [InlineData("%j")]
    [InlineData("%J")]
    [InlineData("@Y|%I")] // the year, and the time's layout (its seconds may differ, so they are masked)
    public async Task Sub_F_prints_what_mosquitto_sub_prints(string format)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var broker = await MosquittoBroker.StartAsync(limit.Token);
        string topic = format == "%J" ? "side/json" : "side/text";
        string payload = format == "%J" ? """{"t":[1,2.5,"x"]}""" : "he\"llo world"; // ASCII: mosquitto_sub pads by bytes
        await RetainAsync(broker, topic, payload, limit.Token, "-V", "5", "-D", "publish", "content-type", "text/x", "-D", "publish", "user-property", "k", "v",
            "-D", "publish", "user-property", "k", "w", "-D", "publish", "response-topic", "rt", "-D", "publish", "correlation-data", "cd", "-D", "publish", "payload-format-indicator", "1");

        string[] args = ["-V", "5", "-t", topic, "-C", "1", "-F", format];
        var (theirs, ours) = await SubBothAsync(broker, args, limit.Token);
        Assert.Equal(0, theirs.Code);
        // %j / %J: the same JSON; the MQTT 5 properties in any order (mosquitto_sub keeps the PUBLISH's, smqtt a fixed one).
        Assert.Equal(Canonical(Masked(theirs.Out)), Canonical(Masked(ours.Out)));
        Assert.Equal(theirs.Code, ours.Code);
    }

    [RequiresToolsFact(Tool.Mosquitto, Tool.MosquittoClients)]
    public async Task Sub_N_v_T_and_q_m_print_what_mosquitto_sub_prints()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var broker = await MosquittoBroker.StartAsync(limit.Token);
        await RetainAsync(broker, "side/t/keep", "kept", limit.Token);
        await RetainAsync(broker, "side/t/skip", "skipped", limit.Token);
        await RetainAsync(broker, "side/t/more", "more", limit.Token);

        foreach (string[] args in new[]
        {
            new[] { "-t", "side/t/#", "-T", "side/t/skip", "-C", "2", "-v", "-N" }, // -T filters out, -N joins the lines
            ["-t", "side/t/keep", "-q", "1", "-C", "1", "-F", "%q %m %r"], // a retained QoS 1 message's packet id
        })
        {
            var (theirs, ours) = await SubBothAsync(broker, args, limit.Token);
            output.WriteLine($"{string.Join(' ', args)}: mosquitto_sub printed '{theirs.Out}', smqtt '{ours.Out}'");
            Assert.Equal(0, theirs.Code);
            Assert.Equal(SortedWords(theirs.Out), SortedWords(ours.Out)); // two retained messages may come in either order
            Assert.Equal(theirs.Code, ours.Code);
        }
    }

    [RequiresToolsFact(Tool.Mosquitto, Tool.MosquittoClients)]
    public async Task Sub_R_skips_the_stale_retained_message_and_prints_the_fresh_one_as_mosquitto_sub_does()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var broker = await MosquittoBroker.StartAsync(limit.Token);
        await RetainAsync(broker, "side/r", "stale", limit.Token);
        string[] args = ["-t", "side/r", "-R", "-C", "1"];

        // The subscribers cannot say when they are subscribed: publish fresh messages until both have printed one.
        Task<ToolRun> theirs = RunToolAsync(MosquittoSub, [.. At(broker), .. args], null, limit.Token);
        Task<ToolRun> ours = RunSmqttAsync(["sub", .. At(broker), .. args], null, limit.Token);
        while (!theirs.IsCompleted || !ours.IsCompleted)
        {
            var fresh = await RunToolAsync(MosquittoPub, [.. At(broker), "-t", "side/r", "-m", "fresh"], null, limit.Token);
            Assert.True(fresh.Code == 0, fresh.Err);
            await Task.WhenAny(Task.WhenAll(theirs, ours), Task.Delay(50, limit.Token));
        }

        Assert.Equal("fresh\n", (await theirs).Out);
        Assert.Equal((await theirs).Out, (await ours).Out);
        Assert.Equal((await theirs).Code, (await ours).Code);
    }

    [RequiresToolsFact(Tool.Mosquitto, Tool.MosquittoClients)]
    public async Task Sub_E_W_and_U_exit_as_mosquitto_sub_does()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var broker = await MosquittoBroker.StartAsync(limit.Token);

        // -E: exit 0 once subscribed, printing nothing. -W: "Timed out" and exit 27 when nothing comes.
        foreach (string[] args in new[] { new[] { "-t", "side/e", "-E" }, ["-t", "side/w", "-W", "1"] })
        {
            var (theirs, ours) = await SubBothAsync(broker, args, limit.Token);
            output.WriteLine($"{string.Join(' ', args)}: mosquitto_sub exit {theirs.Code} err '{theirs.Err.Trim()}', smqtt exit {ours.Code} err '{ours.Err.Trim()}'");
            Assert.Equal(theirs.Code, ours.Code);
            Assert.Equal(theirs.Out, ours.Out);
            Assert.Equal(theirs.Err.Contains("Timed out", StringComparison.Ordinal), ours.Err.Contains("Timed out", StringComparison.Ordinal));
        }

        // -U: a kept session's subscription, removed by -U; a QoS 1 message published afterwards is not queued for it.
        foreach ((string tool, string id) in new[] { (MosquittoSub, "side-u-theirs"), ("smqtt", "side-u-ours") })
        {
            string[] session = [.. At(broker), "-c", "-i", id, "-q", "1"];
            Assert.Equal(0, (await Sub(tool, [.. session, "-t", "side/u/#", "-E"], limit.Token)).Code);
            Assert.Equal(0, (await Sub(tool, [.. session, "-U", "side/u/#", "-t", "side/u/other", "-E"], limit.Token)).Code);
        }

        Assert.Equal(0, (await RunToolAsync(MosquittoPub, [.. At(broker), "-t", "side/u/x", "-m", "after", "-q", "1"], null, limit.Token)).Code);
        var theirsAfter = await Sub(MosquittoSub, [.. At(broker), "-c", "-i", "side-u-theirs", "-q", "1", "-t", "side/u/other", "-W", "1"], limit.Token);
        var oursAfter = await Sub("smqtt", [.. At(broker), "-c", "-i", "side-u-ours", "-q", "1", "-t", "side/u/other", "-W", "1"], limit.Token);
        Assert.Equal("", theirsAfter.Out);
        Assert.Equal(theirsAfter.Out, oursAfter.Out);
        Assert.Equal(theirsAfter.Code, oursAfter.Code);
    }

    private static async Task RetainAsync(MosquittoBroker broker, string topic, string payload, CancellationToken cancellationToken, params string[] extra)
    {
        var run = await RunToolAsync(MosquittoPub, [.. At(broker), "-t", topic, "-m", payload, "-r", "-q", "1", .. extra], null, cancellationToken);
        Assert.True(run.Code == 0, run.Err);
    }

    private static async Task<(ToolRun Theirs, ToolRun Ours)> SubBothAsync(MosquittoBroker broker, string[] args, CancellationToken cancellationToken)
    {
        Task<ToolRun> theirs = RunToolAsync(MosquittoSub, [.. At(broker), .. args], null, cancellationToken);
        Task<ToolRun> ours = RunSmqttAsync(["sub", .. At(broker), .. args], null, cancellationToken);
        return (await theirs, await ours);
    }

    private static Task<ToolRun> Sub(string tool, string[] args, CancellationToken cancellationToken) =>
        tool == "smqtt" ? RunSmqttAsync(["sub", .. args], null, cancellationToken) : RunToolAsync(tool, args, null, cancellationToken);

    /// <summary>The time in %j's "tst" and %I, whose seconds two runs need not share, as a fixed-width mask.</summary>
    private static string Masked(string text) => Timestamp().Replace(text, m => Regex.Replace(m.Value, "[0-9]", "9"));

    /// <summary>A line of %j / %J output with the "properties" object's members sorted; any other text as it is.</summary>
    private static string Canonical(string text)
    {
        if (!text.StartsWith('{'))
        {
            return text;
        }

        using var document = JsonDocument.Parse(text);
        var members = document.RootElement.EnumerateObject().Select(p => p.Name == "properties"
            ? $"\"properties\":{{{string.Join(',', p.Value.EnumerateObject().Select(q => $"\"{q.Name}\":{q.Value.GetRawText()}").Order(StringComparer.Ordinal))}}}"
            : $"\"{p.Name}\":{p.Value.GetRawText()}");
        return "{" + string.Join(',', members) + "}" + text[text.TrimEnd('\n').Length..];
    }

    private static string SortedWords(string text) => string.Join(' ', text.Split(' ', '\n').Order(StringComparer.Ordinal));

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6}Z)?[+-]\d{4}")]
    private static partial Regex Timestamp();
}
