using StateMachineMqtt.PropertyTests.Fixtures.Seeds;
using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;
using StateMachineMqtt.PropertyTests.FaultSchedules;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Nano.Simulated;

/// <summary>
/// Core's generated fault schedules, run against the device client on the shared simulated network and broker.
/// SMQTT_NANO_SCHEDULES raises the count for soak runs (default 300). A failure prints FsCheck's seed and the shrunk schedule.
/// </summary>
public class NanoFaultScheduleProperties(ITestOutputHelper output)
{
    private static int Count =>
        int.TryParse(Environment.GetEnvironmentVariable("SMQTT_NANO_SCHEDULES"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 300;

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public void Device_client_keeps_every_invariant_under_every_generated_fault_schedule(MqttProtocolVersion version)
    {
        Property property = Prop.ForAll(ScheduleGenerators.Schedules(), schedule =>
        {
            string? failure = NanoScheduleRunner.Run(schedule, version: version);
            return (failure is null).Label(failure is null ? "" : $"{failure}{Environment.NewLine}As a regression case: {ScheduleCode.Of(schedule)}");
        });
        int acceptedBefore = NanoScheduleRunner.Accepted;
        int acknowledgedBefore = NanoScheduleRunner.AcknowledgedQos1;
        TestSeeds.Check(property, Count);

        // Not vacuous: the schedules really published, and the broker really accepted QoS 1 messages from the device.
        int accepted = NanoScheduleRunner.Accepted - acceptedBefore;
        int acknowledged = NanoScheduleRunner.AcknowledgedQos1 - acknowledgedBefore;
        output.WriteLine($"{Count} schedules: {accepted} publishes taken, {acknowledged} QoS 1 accepted by the broker, {NanoScheduleRunner.Skipped} steps skipped, {NanoScheduleRunner.ReconnectedAfterFailFast} fail-fast closes reconnected");
        Assert.True(acknowledged > Count, $"only {acknowledged} QoS 1 messages reached the broker in {Count} schedules");
    }
}
