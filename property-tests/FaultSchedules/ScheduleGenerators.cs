using System.Net.Sockets;
using FsCheck;
using FsCheck.Fluent;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.FaultSchedules;

/// <summary>
/// FsCheck generators of fault schedules, and a shrinker that drops steps and shortens waits. Publishes are at QoS 0, 1
/// and 2; the broker's faults on acknowledgements cover PUBACK, PUBREC and PUBCOMP, and the PUBREL it receives.
/// </summary>
public static class ScheduleGenerators
{
    private static readonly SocketError[] ConnectErrors =
    [
        SocketError.ConnectionAborted, SocketError.TimedOut, SocketError.ConnectionRefused, SocketError.HostUnreachable,
        SocketError.NetworkUnreachable, SocketError.NetworkDown, SocketError.ConnectionReset,
    ];

    private static readonly SocketError[] WriteErrors =
    [
        SocketError.ConnectionAborted, SocketError.ConnectionReset, SocketError.TimedOut, SocketError.Shutdown, SocketError.HostUnreachable,
    ];

    private static Gen<FaultStep> Step() => Gen.Frequency(
        (10, from qos in Gen.Elements(MqttQualityOfService.AtMostOnce, MqttQualityOfService.AtLeastOnce, MqttQualityOfService.AtLeastOnce, MqttQualityOfService.ExactlyOnce, MqttQualityOfService.ExactlyOnce)
             from topic in Gen.Choose(0, ScheduleRunner.Topics.Length - 1)
             from cancel in Gen.Frequency((6, Gen.Constant<int?>(null)), (1, Gen.Choose(0, 4000).Select(ms => (int?)ms)))
             select (FaultStep)new FaultStep.Publish(qos, topic, cancel)),
        (2, Gen.Choose(0, ScheduleRunner.Filters.Length - 1).Select(f => (FaultStep)new FaultStep.Subscribe(f))),
        (1, Gen.Choose(0, ScheduleRunner.Filters.Length - 1).Select(f => (FaultStep)new FaultStep.Unsubscribe(f))),
        (1, Gen.Constant((FaultStep)new FaultStep.DisconnectAndReconnect())),
        (3, from qos in Gen.Elements(MqttQualityOfService.AtMostOnce, MqttQualityOfService.AtLeastOnce, MqttQualityOfService.ExactlyOnce)
            from topic in Gen.Choose(0, ScheduleRunner.InboundTopics.Length - 1)
            select (FaultStep)new FaultStep.BrokerPublishes(qos, topic)),
        (3, Gen.Constant((FaultStep)new FaultStep.ResetLink())),
        (1, Gen.Constant((FaultStep)new FaultStep.CloseLink())),
        (2, Gen.Constant((FaultStep)new FaultStep.HalfOpenLink())),
        (1, Gen.Elements(WriteErrors).Select(e => (FaultStep)new FaultStep.FailNextWrite(e))),
        (2, Gen.Elements(ConnectErrors).Select(e => (FaultStep)new FaultStep.NetworkDown(e))),
        (1, Gen.Constant((FaultStep)new FaultStep.ConnectsBlackholed())),
        (3, Gen.Constant((FaultStep)new FaultStep.NetworkUp())),
        (1, Gen.Choose(1, 3).Select(n => (FaultStep)new FaultStep.ConnectsInProgress(n))),
        (3, from type in Gen.Elements(PacketKind.PubAck, PacketKind.PingResp, PacketKind.SubAck, PacketKind.UnsubAck, PacketKind.PubRec, PacketKind.PubComp)
            from n in Gen.Choose(1, 4)
            select (FaultStep)new FaultStep.BrokerDrops(type, n)),
        (2, Gen.Elements(PacketKind.PubAck, PacketKind.Publish, PacketKind.SubAck, PacketKind.PubRec, PacketKind.PubComp).Select(t => (FaultStep)new FaultStep.BrokerDuplicates(t))),
        // Late answers: within the response time, or past it (the flow has re-sent by then, and the late one is stale).
        (1, from type in Gen.Elements(PacketKind.PubAck, PacketKind.PubRec, PacketKind.PubComp)
            from ms in Gen.Elements(500, 1_500, 2_500, 4_500)
            select (FaultStep)new FaultStep.BrokerDelays(type, ms)),
        (1, Gen.Choose(1, 3).Select(n => (FaultStep)new FaultStep.BrokerIgnores(PacketKind.PubRel, n))),
        (1, Gen.Choose(1, 2).Select(n => (FaultStep)new FaultStep.BrokerIgnoresConnects(n))),
        (2, Gen.Elements(PacketKind.PubAck, PacketKind.PubRec, PacketKind.PubComp).Select(t => (FaultStep)new FaultStep.LostWithLink(t))),
        (1, Gen.Elements(500, 3_000, 12_000).Select(ms => (FaultStep)new FaultStep.ApplicationPauses(ms))),
        (1, from code in Gen.Elements(ConnectReturnCode.ServerUnavailable, ConnectReturnCode.NotAuthorized)
            from n in Gen.Choose(1, 3)
            select (FaultStep)new FaultStep.BrokerRefuses(code, n)),
        (1, Gen.Elements(true, false).Select(keep => (FaultStep)new FaultStep.BrokerRestart(keep))),
        (1, Gen.Constant((FaultStep)new FaultStep.BrokerStop())),
        (1, Gen.Constant((FaultStep)new FaultStep.BrokerStart())),
        (8, Gen.Frequency((3, Gen.Choose(0, 300)), (2, Gen.Choose(300, 5000)), (1, Gen.Choose(5000, 30000))).Select(ms => (FaultStep)new FaultStep.Wait(ms))));

    /// <summary>A schedule: the client's options (clean session or not) and 1–40 steps.</summary>
    public static Arbitrary<FaultSchedule> Schedules() =>
        Arb.From(
            from clean in Gen.Elements(true, false)
            from count in Gen.Choose(1, 40)
            from steps in Gen.ArrayOf(Step(), count)
            select new FaultSchedule(clean, steps),
            Shrink);

    private static IEnumerable<FaultSchedule> Shrink(FaultSchedule schedule)
    {
        FaultStep[] steps = schedule.Steps;
        for (int i = 0; i < steps.Length; i++)
        {
            yield return schedule with { Steps = [.. steps[..i], .. steps[(i + 1)..]] };
        }

        for (int i = 0; i < steps.Length; i++)
        {
            if (steps[i] is FaultStep.Wait { Milliseconds: > 0 } wait)
            {
                FaultStep[] shorter = [.. steps];
                shorter[i] = new FaultStep.Wait(wait.Milliseconds / 2);
                yield return schedule with { Steps = shorter };
            }
        }

        if (!schedule.CleanSession)
        {
            yield return schedule with { CleanSession = true };
        }
    }
}

/// <summary>A generated schedule; its ToString is what a failing property prints after shrinking.</summary>
public sealed record FaultSchedule(bool CleanSession, FaultStep[] Steps)
{
    public override string ToString() =>
        $"clean session {CleanSession}:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", Steps.Select((s, i) => $"{i + 1}. {s}"));
}
