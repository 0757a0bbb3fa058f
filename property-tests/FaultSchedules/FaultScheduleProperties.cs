using StateMachineMqtt.PropertyTests.Fixtures.Seeds;
using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.FaultSchedules;

/// <summary>
/// Generated fault schedules — socket errors at every await point, lost and duplicated packets, half-open links, broker
/// restarts with and without session, CONNACK refusals — interleaved with random API calls, against the real client.
/// SMQTT_SCHEDULES raises the count for soak runs (default 2,000). A failure prints FsCheck's seed and the shrunk schedule.
/// </summary>
public class FaultScheduleProperties(ITestOutputHelper output)
{
    private static int Count =>
        int.TryParse(Environment.GetEnvironmentVariable("SMQTT_SCHEDULES"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 2000;

    [Fact]
    public void Every_invariant_holds_under_every_generated_fault_schedule()
    {
        var tally = new Qos2Tally();
        Property property = Prop.ForAll(ScheduleGenerators.Schedules(), schedule =>
        {
            string? failure = ScheduleRunner.Run(schedule, tally: tally);
            return (failure is null).Label(failure is null ? "" : $"{failure}{Environment.NewLine}As a regression case: {ScheduleCode.Of(schedule)}");
        });
        TestSeeds.Check(property, Count);

        // Not vacuous: QoS 2 flows completed, and lost PUBRECs and PUBCOMPs made the client re-send both halves of them.
        output.WriteLine(tally.ToString());
        Assert.True(tally.Completed > Count && tally.PublishResends > Count / 20 && tally.PubRelResends > Count / 20 && tally.OneSessionRuns > Count / 10, tally.ToString());
        // And inbound: QoS 2 messages received, with re-deliveries and PUBREL re-sends for the Receipt machine to meet.
        Assert.True(tally.InboundReceived > Count / 10 && tally.InboundRedeliveries > Count / 100 && tally.InboundPubRelResends > Count / 100, tally.ToString());
    }
}
