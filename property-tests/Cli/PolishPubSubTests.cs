using System.Globalization;
using System.Text;
using System.Text.Json;
using StateMachineMqtt.Cli;
using StateMachineMqtt.Cli.Commands;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using StateMachineMqtt.PropertyTests.Hosting;
using Xunit;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Cli;

/// <summary>#11 item 5: the script-friendly pub and sub flags, run in-process against the in-process MQTTnet broker.</summary>
public sealed class PolishPubSubTests
{
    private static string[] At(InProcessMqttnetBroker broker, params string[] args) =>
        [args[0], "-h", "127.0.0.1", "-p", broker.Port.ToString(CultureInfo.InvariantCulture), .. args[1..]];

    private static async Task<(int Code, string Out, string Err)> Run(string[] args, TextReader? stdin = null, CliEnvironment? environment = null, CancellationToken cancellationToken = default)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = await CliApp.RunAsync(args, stdin ?? TextReader.Null, stdout, stderr, environment ?? CliEnvironment.Captured, cancellationToken).WaitAsync(cancellationToken);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Pub_f_publishes_the_file_byte_for_byte()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var broker = await InProcessMqttnetBroker.StartAsync(limit.Token);
        string file = Path.GetTempFileName();
        try
        {
            byte[] bytes = [0x00, 0xFF, 0x0A, 0xC3, 0x28, 0x41];
            await File.WriteAllBytesAsync(file, bytes, limit.Token);
            var (code, _, err) = await Run(At(broker, "pub", "-t", "p/f", "-f", file, "-q", "1"), cancellationToken: limit.Token);
            Assert.True(code == 0, err);
            Assert.Equal(bytes, (await broker.WaitForMessageAsync("p/f", limit.Token)).Payload);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Pub_f_with_a_missing_file_exits_1_before_connecting_and_names_the_file()
    {
        // Port 1 on loopback: nothing listens, so a connect attempt would say "refused" instead of naming the file.
        var (code, _, err) = await Run(["pub", "-h", "127.0.0.1", "-p", "1", "-t", "p/f", "-f", "/nonexistent/smqtt-file"]);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("-f /nonexistent/smqtt-file: cannot read the file", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pub_s_publishes_all_of_stdin_as_one_message_and_n_an_empty_one()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var broker = await InProcessMqttnetBroker.StartAsync(limit.Token);
        using var stdin = new StringReader("line 1\nline 2\n");
        Assert.Equal(0, (await Run(At(broker, "pub", "-t", "p/s", "-s", "-q", "1"), stdin, cancellationToken: limit.Token)).Code);
        Assert.Equal("line 1\nline 2\n", Encoding.UTF8.GetString((await broker.WaitForMessageAsync("p/s", limit.Token)).Payload));

        Assert.Equal(0, (await Run(At(broker, "pub", "-t", "p/n", "-n", "-q", "1"), cancellationToken: limit.Token)).Code);
        Assert.Empty((await broker.WaitForMessageAsync("p/n", limit.Token)).Payload);
    }

    [Fact]
    public async Task Pub_repeat_publishes_N_times_waiting_repeat_delay_between_and_json_sums_up()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var broker = await InProcessMqttnetBroker.StartAsync(limit.Token);
        var clock = new TimerWatchingClock();
        Task delayStarted = clock.WhenTimerCreated(TimeSpan.FromSeconds(10));
        var run = Run(At(broker, "pub", "-t", "p/r", "-m", "again", "-q", "1", "--repeat", "2", "--repeat-delay", "10", "--json"),
            environment: new CliEnvironment(clock, StderrIsTerminal: false), cancellationToken: limit.Token);

        await broker.WaitForMessageAsync("p/r", limit.Token);
        await delayStarted.WaitAsync(limit.Token);
        Assert.False(run.IsCompleted, "the second publish waits for --repeat-delay");
        clock.Fake.Advance(TimeSpan.FromSeconds(10));
        var (code, stdout, err) = await run;
        Assert.True(code == 0, err);
        Assert.Equal("again", Encoding.UTF8.GetString((await broker.WaitForMessageAsync("p/r", limit.Token)).Payload));

        using var summary = JsonDocument.Parse(stdout);
        Assert.Equal("p/r", summary.RootElement.GetProperty("topic").GetString());
        Assert.Equal(2, summary.RootElement.GetProperty("issued").GetInt32());
        Assert.Equal(2, summary.RootElement.GetProperty("completed").GetInt32());
        Assert.Equal("ok", summary.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Sub_E_exits_0_once_subscribed()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var broker = await InProcessMqttnetBroker.StartAsync(limit.Token);
        Task subscribed = broker.WhenSubscribed("s/e");
        var (code, stdout, err) = await Run(At(broker, "sub", "-t", "s/e", "-E"), cancellationToken: limit.Token);
        Assert.True(code == 0, err);
        Assert.True(subscribed.IsCompleted);
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task Sub_W_exits_27_when_the_time_runs_out()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var broker = await InProcessMqttnetBroker.StartAsync(limit.Token);
        var clock = new TimerWatchingClock();
        Task timerStarted = clock.WhenTimerCreated(TimeSpan.FromSeconds(30));
        Task subscribed = broker.WhenSubscribed("s/w");
        var run = Run(At(broker, "sub", "-t", "s/w", "-W", "30"), environment: new CliEnvironment(clock, false), cancellationToken: limit.Token);
        await Task.WhenAll(timerStarted, subscribed).WaitAsync(limit.Token);
        Assert.False(run.IsCompleted);
        clock.Fake.Advance(TimeSpan.FromSeconds(30));
        var (code, _, err) = await run;
        Assert.True(code == ExitCodes.Timeout, err);
    }

    [Fact]
    public async Task Sub_R_skips_the_stored_retained_message_and_T_filters_topics_out_and_N_drops_newlines()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var broker = await InProcessMqttnetBroker.StartAsync(limit.Token);
        Assert.Equal(0, (await Run(At(broker, "pub", "-t", "s/r/old", "-m", "stale", "-r", "-q", "1"), cancellationToken: limit.Token)).Code);

        Task subscribed = broker.WhenSubscribed("s/r/#");
        var sub = Run(At(broker, "sub", "-t", "s/r/#", "-q", "1", "-R", "-T", "s/r/skip", "-T", "s/r/+/deep", "-N", "-v", "-C", "2"), cancellationToken: limit.Token);
        await subscribed.WaitAsync(limit.Token);
        foreach ((string topic, string payload) in new[] { ("s/r/skip", "no"), ("s/r/a/deep", "no"), ("s/r/one", "1"), ("s/r/two", "2") })
        {
            Assert.Equal(0, (await Run(At(broker, "pub", "-t", topic, "-m", payload, "-q", "1"), cancellationToken: limit.Token)).Code);
        }

        var (code, stdout, err) = await sub;
        Assert.True(code == 0, err);
        Assert.Equal("s/r/one 1s/r/two 2", stdout); // -R: no "stale"; -T: neither "no"; -N: no newlines
    }

    [Fact]
    public async Task Sub_json_prints_one_object_per_message_with_base64_for_binary_and_the_properties()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var broker = await InProcessMqttnetBroker.StartAsync(limit.Token);
        string file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, [0xFF, 0x00], limit.Token);
            Task subscribed = broker.WhenSubscribed("s/j");
            var sub = Run(At(broker, "sub", "-t", "s/j", "-q", "1", "-V", "mqttv5", "--json", "-C", "2"), cancellationToken: limit.Token);
            await subscribed.WaitAsync(limit.Token);
            Assert.Equal(0, (await Run(At(broker, "pub", "-t", "s/j", "-m", "héllo", "-q", "1", "-V", "mqttv5", "-D", "publish", "user-property", "k", "v", "-D", "publish", "content-type", "text/plain"), cancellationToken: limit.Token)).Code);
            Assert.Equal(0, (await Run(At(broker, "pub", "-t", "s/j", "-f", file, "-q", "1"), cancellationToken: limit.Token)).Code);

            var (code, stdout, err) = await sub;
            Assert.True(code == 0, err);
            string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, lines.Length);
            using var text = JsonDocument.Parse(lines[0]);
            Assert.Equal("s/j", text.RootElement.GetProperty("topic").GetString());
            Assert.Equal("héllo", text.RootElement.GetProperty("payload").GetString());
            Assert.Equal("utf8", text.RootElement.GetProperty("encoding").GetString());
            Assert.Equal(1, text.RootElement.GetProperty("qos").GetInt32());
            Assert.False(text.RootElement.GetProperty("retain").GetBoolean());
            JsonElement properties = text.RootElement.GetProperty("properties");
            Assert.Equal("text/plain", properties.GetProperty("content_type").GetString());
            Assert.Equal("k", properties.GetProperty("user_properties")[0].GetProperty("name").GetString());
            Assert.Equal("v", properties.GetProperty("user_properties")[0].GetProperty("value").GetString());
            using var binary = JsonDocument.Parse(lines[1]);
            Assert.Equal("base64", binary.RootElement.GetProperty("encoding").GetString());
            Assert.Equal([0xFF, 0x00], Convert.FromBase64String(binary.RootElement.GetProperty("payload").GetString()!));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Sub_U_alone_unsubscribes_a_kept_session_and_exits_0()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var broker = await InProcessMqttnetBroker.StartAsync(limit.Token);
        Assert.Equal(0, (await Run(At(broker, "sub", "-t", "s/u", "-c", "-i", "u-1", "-q", "1", "-E"), cancellationToken: limit.Token)).Code);
        var unsubscribed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        broker.Server.ClientUnsubscribedTopicAsync += e =>
        {
            unsubscribed.TrySetResult($"{e.ClientId} {e.TopicFilter}");
            return Task.CompletedTask;
        };

        var (code, _, err) = await Run(At(broker, "sub", "-U", "s/u", "-c", "-i", "u-1"), cancellationToken: limit.Token);
        Assert.True(code == 0, err);
        Assert.Equal("u-1 s/u", await unsubscribed.Task.WaitAsync(limit.Token));
    }

    [Fact]
    public async Task D_prints_every_packet_both_ways_and_never_the_password()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var broker = await InProcessMqttnetBroker.StartAsync(limit.Token);
        var (code, _, err) = await Run(At(broker, "pub", "-t", "d/x", "-m", "payload-text", "-q", "1", "-i", "dbg", "-u", "ann", "-P", "s3cret-pw", "-d"), cancellationToken: limit.Token);
        Assert.True(code == 0, err);
        Assert.Contains("smqtt: Client dbg sending CONNECT (v4, c1, k60, id 'dbg', will 0, user yes, password ***)", err, StringComparison.Ordinal);
        Assert.Contains("smqtt: Client dbg received CONNACK (session present 0, rc 0)", err, StringComparison.Ordinal);
        Assert.Contains("smqtt: Client dbg sending PUBLISH (d0, q1, r0, m1, 'd/x', ... (12 bytes))", err, StringComparison.Ordinal);
        Assert.Contains("smqtt: Client dbg received PUBACK (Mid: 1)", err, StringComparison.Ordinal);
        Assert.Contains("smqtt: Client dbg sending DISCONNECT", err, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", err, StringComparison.Ordinal);
        Assert.DoesNotContain("ann", err, StringComparison.Ordinal);
        Assert.DoesNotContain("payload-text", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Pub_l_draws_a_progress_line_only_when_stderr_is_a_terminal(bool terminal)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var broker = await InProcessMqttnetBroker.StartAsync(limit.Token);
        using var stdin = new StringReader("a\nb\nc\n");
        var (code, _, err) = await Run(At(broker, "pub", "-t", "p/l", "-l", "-q", "1"), stdin, new CliEnvironment(TimeProvider.System, terminal), limit.Token);
        Assert.True(code == 0, err);
        if (terminal)
        {
            Assert.StartsWith("\rsmqtt: 1 published, 0 completed", err, StringComparison.Ordinal); // the first line is drawn at once
            Assert.EndsWith("\r", err, StringComparison.Ordinal); // and erased at the end
        }
        else
        {
            Assert.Empty(err);
        }
    }
}
