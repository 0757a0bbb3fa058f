using System.Globalization;
using MQTTnet.Server;
using StateMachineMqtt.Cli;
using StateMachineMqtt.TestKit.Brokers;
using StateMachineMqtt.TestKit.Proxy;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Cli;

/// <summary><c>smqtt pub</c> and <c>smqtt sub</c> run in-process against the in-process MQTTnet broker.</summary>
public sealed class PubSubEndToEndTests
{
    /// <summary>A stdin whose line <paramref name="at"/> triggers <paramref name="fault"/> when read.</summary>
    private sealed class FaultingLines(int count, int at, Action fault) : TextReader
    {
        private int _next;

        public override string? ReadLine()
        {
            if (_next == at)
            {
                fault();
            }

            return _next < count ? (_next++).ToString(CultureInfo.InvariantCulture) : null;
        }

        public override ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => ValueTask.FromResult(ReadLine());
    }

    [Theory]
    [InlineData("mqttv311", "1")]
    [InlineData("mqttv5", "1")]
    [InlineData("mqttv5", "2")]
    public async Task Pub_l_survives_resets_and_sub_C_prints_every_line(string version, string qos)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var broker = await InProcessMqttnetBroker.StartAsync(limit.Token);
        await using var proxy = FaultProxy.Start("127.0.0.1", broker.Port);
        const int Lines = 300;
        string port = broker.Port.ToString(CultureInfo.InvariantCulture);

        var subscribed = broker.WhenSubscribed("e2e/lines");
        using var subOut = new StringWriter();
        var sub = CliApp.RunAsync(["sub", "-p", port, "-h", "127.0.0.1", "-t", "e2e/lines", "-q", "1", "-v", "-C", Lines.ToString(CultureInfo.InvariantCulture)], TextReader.Null, subOut, TextWriter.Null);
        await subscribed.WaitAsync(limit.Token);

        // The publisher goes through the proxy, which resets its link while lines are being published.
        int resets = 0;
        using var stdin = new FaultingLines(Lines, at: 100, () => { proxy.ResetAll(); resets++; });
        var pubErr = new StringWriter();
        int pubExit = await CliApp.RunAsync(["pub", "-p", proxy.Port.ToString(CultureInfo.InvariantCulture), "-h", "127.0.0.1", "-t", "e2e/lines", "-l", "-q", qos, "-i", "e2e-pub", "-c", "-V", version], stdin, TextWriter.Null, pubErr).WaitAsync(limit.Token);
        Assert.True(pubExit == 0, pubErr.ToString());
        Assert.Equal(1, resets);
        Assert.Contains("smqtt: link down", pubErr.ToString(), StringComparison.Ordinal);
        Assert.Contains("smqtt: reconnected", pubErr.ToString(), StringComparison.Ordinal);

        Assert.Equal(0, await sub.WaitAsync(limit.Token));
        var printed = subOut.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Lines, printed.Length);
        Assert.All(printed, line => Assert.StartsWith("e2e/lines ", line, StringComparison.Ordinal));
        // Every line arrived (QoS 1: a re-sent one may arrive twice, so -C may stop before the last line; count distinct).
        var arrived = broker.ReceivedSoFar.Where(m => m.Topic == "e2e/lines").Select(m => System.Text.Encoding.UTF8.GetString(m.Payload)).ToList();
        // Not exactly once at QoS 2: MQTTnet's broker forwards a DUP re-send of an identifier it has not yet released
        // (dotnet/MQTTnet#1540, open; 305 copies of 300 lines in one CI run). PubLinesThroughResettingProxyTests checks
        // exactly once against Mosquitto, which holds the identifier until PUBREL.
        Assert.Equal(Lines, arrived.ToHashSet().Count);
        Assert.True(proxy.ConnectionsAccepted >= 2, "the publisher reconnected after the reset");
    }

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public async Task Pub_m_publishes_one_message_and_exits_0(string qos)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var broker = await InProcessMqttnetBroker.StartAsync(limit.Token);
        using var stderr = new StringWriter();
        int exit = await CliApp.RunAsync(["pub", "-h", "127.0.0.1", "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "-t", "e2e/one", "-m", "hello", "-q", qos, "-r"], TextReader.Null, TextWriter.Null, stderr);
        Assert.Equal(0, exit);
        Assert.Equal("", stderr.ToString()); // a healthy publish is silent, as mosquitto_pub
        var message = await broker.WaitForMessageAsync("e2e/one", limit.Token);
        Assert.Equal("hello", System.Text.Encoding.UTF8.GetString(message.Payload));
        Assert.True(message.Retain);
        Assert.Equal(int.Parse(qos, CultureInfo.InvariantCulture), message.QualityOfService);
    }

    [Theory]
    [InlineData("sub", "-t", "e2e/#/bad", "-C", "1")] // '#' must be last
    public async Task What_the_client_refuses_is_a_usage_error(params string[] args)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var broker = await InProcessMqttnetBroker.StartAsync(limit.Token);
        using var stderr = new StringWriter();
        int exit = await CliApp.RunAsync([.. args, "-h", "127.0.0.1", "-p", broker.Port.ToString(CultureInfo.InvariantCulture)], TextReader.Null, TextWriter.Null, stderr).WaitAsync(limit.Token);
        Assert.True(exit == 2, stderr.ToString());
        Assert.StartsWith("smqtt: ", stderr.ToString(), StringComparison.Ordinal);
    }
}
