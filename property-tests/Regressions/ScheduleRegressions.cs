using StateMachineMqtt.Protocol;
using StateMachineMqtt.PropertyTests.FaultSchedules;
using StateMachineMqtt.PropertyTests.Nano.Simulated;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Regressions;

/// <summary>
/// Fault schedules that once broke an invariant, replayed exactly against core's client and the device client. A failing
/// fault-schedule property prints its shrunk schedule as C# ("As a regression case: …"); paste it here with a name.
/// </summary>
public sealed class ScheduleRegressions
{
    public static TheoryData<string, FaultSchedule> Cases() => new()
    {
        {
            // Found by the model checker (I8): the broker loses the session, makes an empty one for a CONNECT whose CONNACK
            // is lost, and calls it "present" on the next connect. Fixed by the SessionTrusted / SessionInDoubt guards.
            "session made while its CONNACK was lost is not trusted",
            new FaultSchedule(false, [new FaultStep.Subscribe(0), new FaultStep.Wait(1000), new FaultStep.BrokerDrops(PacketKind.ConnAck, 1), new FaultStep.BrokerRestart(false), new FaultStep.Wait(30000)])
        },
        {
            // A PUBACK cut off by a reset: the held QoS 1 message is re-sent with DUP on the next link (I1, I4).
            "PUBACK lost to a reset, then the broker restarts keeping sessions",
            new FaultSchedule(false, [new FaultStep.Publish(MqttQualityOfService.AtLeastOnce, 0, null), new FaultStep.BrokerDrops(PacketKind.PubAck, 1), new FaultStep.Wait(200), new FaultStep.ResetLink(), new FaultStep.BrokerRestart(true), new FaultStep.Wait(30000)])
        },
        {
            // Found by the device client on the engine (I8): an UNSUBACK is lost, a SUBSCRIBE of the same filter sent after
            // the UNSUBSCRIBE is acknowledged, and the response timeout drops the link; the engine re-sent the stale
            // UNSUBSCRIBE after restoring the subscription, so the filter ended unsubscribed. Fixed in the engine: a request
            // acknowledged later supersedes an earlier, unanswered one for the same filter.
            "a stale UNSUBSCRIBE is not re-sent after a later SUBSCRIBE of its filter was acknowledged",
            new FaultSchedule(true, [new FaultStep.BrokerDrops(PacketKind.UnsubAck, 1), new FaultStep.Unsubscribe(2), new FaultStep.Subscribe(2), new FaultStep.Wait(2972)])
        },
        {
            // Found in the runner (not the client) when the application pauses came in: a shorter pause after a longer
            // one let the run settle while the reader still slept, and a message the client had handed it looked lost.
            "a shorter application pause does not cut a longer one short",
            new FaultSchedule(false, [new FaultStep.ApplicationPauses(12000), new FaultStep.BrokerPublishes(MqttQualityOfService.AtLeastOnce, 0), new FaultStep.BrokerPublishes(MqttQualityOfService.AtLeastOnce, 0), new FaultStep.ApplicationPauses(3000)])
        },
        {
            // Inbound QoS 2 re-delivered after its PUBREC was lost with the link: answered again, delivered once (I9).
            "a QoS 2 message whose PUBREC was lost with its link is delivered once",
            new FaultSchedule(false, [new FaultStep.LostWithLink(PacketKind.PubRec), new FaultStep.BrokerPublishes(MqttQualityOfService.ExactlyOnce, 0), new FaultStep.Wait(30000)])
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Core_client_keeps_every_invariant(string name, FaultSchedule schedule)
    {
        string? failure = ScheduleRunner.Run(schedule);
        Assert.True(failure is null, $"{name}:{Environment.NewLine}{schedule}{Environment.NewLine}{failure}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Device_client_keeps_every_invariant(string name, FaultSchedule schedule)
    {
        string? failure = NanoScheduleRunner.Run(schedule);
        Assert.True(failure is null, $"{name}:{Environment.NewLine}{schedule}{Environment.NewLine}{failure}");
    }

    [Fact]
    public void A_schedule_prints_as_the_code_that_builds_it()
    {
        var schedule = Cases().Select(c => (FaultSchedule)c[1]).First();
        Assert.Equal(
            "new FaultSchedule(false, [new FaultStep.Subscribe(0), new FaultStep.Wait(1000), new FaultStep.BrokerDrops(StateMachineMqtt.Spec.PacketKind.ConnAck, 1), new FaultStep.BrokerRestart(false), new FaultStep.Wait(30000)])",
            ScheduleCode.Of(schedule));
    }
}
