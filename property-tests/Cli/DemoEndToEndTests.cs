using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using StateMachineMqtt.Cli.Demo;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Cli;

/// <summary>The demo, shortened, run end to end: real sockets, the fault proxy, our client, MQTTnet or Mosquitto.</summary>
public sealed class DemoEndToEndTests
{
    // Short timings: keepalive 1 s means a half-open link is noticed within a second.
    private static readonly DemoOptions Quick = new()
    {
        KeepAlive = TimeSpan.FromSeconds(1),
        ResponseTime = TimeSpan.FromSeconds(1),
        BackoffInitial = TimeSpan.FromMilliseconds(50),
        BackoffMaximum = TimeSpan.FromMilliseconds(200),
        PublishInterval = TimeSpan.FromMilliseconds(20),
        SteadyPeriod = TimeSpan.FromMilliseconds(300),
        BrokerDowntime = TimeSpan.FromMilliseconds(300),
        RecoveryLimit = TimeSpan.FromSeconds(15),
        ProgressInterval = TimeSpan.FromMilliseconds(500),
    };

    private static void AssertPassed(DemoSummary summary, string output, int faults)
    {
        Assert.True(summary.Passed, output);
        Assert.Equal(0, summary.Ledger.Lost);
        Assert.Equal(summary.Ledger.Published, summary.Ledger.Acknowledged);
        Assert.Equal(summary.Ledger.Published, summary.Ledger.Received);
        Assert.Equal(faults, summary.Faults.Count);
        Assert.All(summary.Faults, f => Assert.NotNull(f.Recovered));
        Assert.True(summary.PublisherOutages >= faults, output); // every fault took the publisher's link down
        Assert.Contains("PASS", output, StringComparison.Ordinal);
        Assert.Equal(0, summary.ExitCode);
    }

    [Fact]
    public async Task Demo_with_its_own_broker_loses_nothing()
    {
        using var output = new StringWriter();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var summary = await DemoRunner.RunAsync(Quick, output, TimeProvider.System, limit.Token);
        AssertPassed(summary, output.ToString(), faults: 4);
        Assert.Contains(summary.Faults, f => f.Fault == "half-open link" && f.Detected <= TimeSpan.FromSeconds(2)); // I5, with slack
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task Demo_against_an_external_Mosquitto_loses_nothing()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var mosquitto = await MosquittoBroker.StartAsync(limit.Token);
        using var output = new StringWriter();
        var summary = await DemoRunner.RunAsync(Quick with { Broker = $"127.0.0.1:{mosquitto.Port}" }, output, TimeProvider.System, limit.Token);
        AssertPassed(summary, output.ToString(), faults: 3); // no restart step with an external broker
        Assert.DoesNotContain(summary.Faults, f => f.Fault == "broker restart");
    }
}
