using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using StateMachineMqtt.Cli.Demo;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using Xunit;
using Xunit.Abstractions;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Cli;

/// <summary>The demo, shortened, run end to end: real sockets, the fault proxy, our client, MQTTnet or Mosquitto.</summary>
public sealed class DemoEndToEndTests(ITestOutputHelper log)
{
    // What MqttClient reports when its keepalive declares a silent link dead (I5); loud faults report a socket error instead.
    private const string KeepAliveReason = "keepalive expired";

    // Hang guard only: a healthy run takes seconds. Generous, so a loaded machine cannot turn the test red.
    private static readonly TimeSpan Hung = TimeSpan.FromSeconds(180);

    // Short timings: keepalive 1 s means a half-open link is noticed within a second. RecoveryLimit is the demo's own
    // give-up point; set high so it acts as a hang guard, not as a "recovered within" bound a slow machine could miss.
    private static readonly DemoOptions Quick = new()
    {
        KeepAlive = TimeSpan.FromSeconds(1),
        ResponseTime = TimeSpan.FromSeconds(1),
        BackoffInitial = TimeSpan.FromMilliseconds(50),
        BackoffMaximum = TimeSpan.FromMilliseconds(200),
        PublishInterval = TimeSpan.FromMilliseconds(20),
        SteadyPeriod = TimeSpan.FromMilliseconds(300),
        BrokerDowntime = TimeSpan.FromMilliseconds(300),
        RecoveryLimit = TimeSpan.FromSeconds(40),
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
        // The half-open link gives no socket error: only the publisher's keepalive can have taken the link down (I5).
        var halfOpen = Assert.Single(summary.Faults, f => f.Fault == "half-open link");
        Assert.True(halfOpen.DownReason?.StartsWith(KeepAliveReason, StringComparison.Ordinal) == true, $"The half-open link went down for \"{halfOpen.DownReason}\", not by keepalive.{Environment.NewLine}{output}");
    }

    [Fact]
    public async Task Demo_with_its_own_broker_loses_nothing()
    {
        using var output = new StringWriter();
        using var limit = new CancellationTokenSource(Hung);
        var summary = await RunDemoAsync(Quick, output, limit.Token);
        AssertPassed(summary, output.ToString(), faults: 4);
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task Demo_against_an_external_Mosquitto_loses_nothing()
    {
        using var limit = new CancellationTokenSource(Hung);
        await using var mosquitto = await MosquittoBroker.StartAsync(limit.Token);
        using var output = new StringWriter();
        var summary = await RunDemoAsync(Quick with { Broker = $"127.0.0.1:{mosquitto.Port}" }, output, limit.Token);
        AssertPassed(summary, output.ToString(), faults: 3); // no restart step with an external broker
        Assert.DoesNotContain(summary.Faults, f => f.Fault == "broker restart");
    }

    /// <summary>Runs the demo; prints its output (real-time figures, for information only); a run cut by the hang guard fails saying so.</summary>
    private async Task<DemoSummary> RunDemoAsync(DemoOptions options, StringWriter output, CancellationToken hung)
    {
        try
        {
            return await DemoRunner.RunAsync(options, output, TimeProvider.System, hung);
        }
        catch (OperationCanceledException) when (hung.IsCancellationRequested)
        {
            Assert.Fail($"The demo hung: not done after {Hung.TotalSeconds:0} s.{Environment.NewLine}{output}");
            throw;
        }
        finally
        {
            log.WriteLine(output.ToString());
        }
    }
}
