using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using StateMachineMqtt.TestKit.Soak;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using Xunit.Abstractions;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Chaos;

/// <summary>
/// The short chaos run CI can afford (well under two minutes): our publisher and subscriber (QoS 1, persistent sessions)
/// through fault proxies in front of a real Mosquitto that is SIGKILLed and restarted, a fault every 150–500 ms. What the
/// broker lost in its crashes is reported; what the clients lost fails the test.
/// </summary>
[Collection(RealNetworkCollection.Name)]
public sealed class MosquittoChaosTests(ITestOutputHelper output)
{
    [RequiresToolsTheory(Tool.Mosquitto)]
    [InlineData(20261127)]
    public async Task Under_random_faults_and_broker_kills_no_message_is_lost_by_the_clients_and_no_call_hangs(int seed)
    {
        var options = new SoakOptions
        {
            Seed = seed,
            Messages = 3000,
            MessagesPerSecond = 400,
            ProxyFaultsBetweenKills = new Range<int>(5, 9),
            DrainLimit = TimeSpan.FromSeconds(40),
        };
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(100));
        await using var broker = await MosquittoBroker.StartForSoakAsync(limit.Token);
        var report = await SoakRunner.RunAsync(SmqttSoakClient.Factory, broker, options, output.WriteLine, cancellationToken: limit.Token);
        output.WriteLine(SoakReportWriter.ToMarkdown([report], options, "chaos (CI)"));
        string why = $"seed {seed}; {report.Delivery}{Environment.NewLine}{string.Join(Environment.NewLine, report.Trace)}";

        Assert.True(report.Drained, $"Not everything was acknowledged and delivered within the drain limit: {why}");
        Assert.True(report.Delivery.LostClientSide == 0, $"The clients lost messages: {why}");
        Assert.True(report.Delivery.LostUnexplained == 0, $"Messages vanished without a broker crash to explain it: {why}");
        Assert.True(report.Delivery.UnacknowledgedToApplication == 0, $"Publish calls never completed: {why}");
        Assert.True(report.Delivery.Reordered == 0, $"First arrivals out of order within a topic: {why}");
        Assert.Equal(report.Delivery.Published, report.Delivery.Delivered + report.Delivery.LostInBrokerCrash);
        Assert.True(report.Faults >= 10 && report.BrokerKills >= 1, $"Too few faults to mean anything ({report.Faults}, {report.BrokerKills} kills): {why}");
        Assert.True(report.PublisherLinkDowns > 0 && report.SubscriberLinkDowns > 0, "the faults never reached both clients");
        Assert.True(report.PeakManagedMegabytes < 256, $"Memory grew to {report.PeakManagedMegabytes:0} MB.");
    }
}
