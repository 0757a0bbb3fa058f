using FsCheck;
using FsCheck.Fluent;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.PropertyTests.FaultSchedules;
using StateMachineMqtt.PropertyTests.Fixtures.Seeds;
using StateMachineMqtt.PropertyTests.Nano.Simulated;
using StateMachineMqtt.PropertyTests.Simulation;
using StateMachineMqtt.PropertyTests.Simulation.Broker;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Conformance;

/// <summary>
/// Differential test (issue 14): core's client and the device client, each a driver of the one engine, driven by the same
/// fault schedule on the same simulated network and broker, put the same packet sequence on the wire. The only
/// differences allowed are those the two APIs force, listed in <see cref="Differences"/>: the schedule is normalised for
/// them, or the packet projection leaves them out.
/// </summary>
public sealed class SameWireProperties
{
    /// <summary>What the two APIs force apart, and how the comparison allows for it.</summary>
    public static readonly string[] Differences =
    [
        "The device API has no cancellation: schedules lose their 'cancel after' before running.",
        "A schedule's QoS 2 publishes run at QoS 1 on both. Both clients publish at QoS 2, but with two QoS 2 flows awaiting different answers, the device's poll lag (below) can swap two re-sends a few milliseconds apart: a PUBREL after its timeout and another after a late PUBREC (seed 2026,11400714819323198485, shrunk to: PUBREC 4.5 s late, a reset, two QoS 2 publishes, two PUBCOMPs dropped). Each client's QoS 2 is checked by its own fault-schedule properties; polling the device at the engine's next deadline and at each arrival would remove the lag, and this exception with it.",
        "EINPROGRESS on connect: core's transport ends the attempt with it and the driver opens again, while the device's socket stays in progress and is polled, so the two simulated sockets count connect attempts differently: schedules lose their 'connects report EINPROGRESS' steps.",
        "The client identifiers differ (one broker, two runs): CONNECT is compared without it.",
        "Dropped PINGRESPs: which pings a drop hits depends on when each client pings, and so on the device's poll lag (below), so one client can lose a link to three dropped answers that the other spreads over two links (seed 2026,11400714819323198485, shrunk to: half-open link, three PINGRESPs dropped, a wait): schedules lose their PINGRESP drops. Keepalive under dropped answers is covered by each client's own fault-schedule properties.",
        "The device loop polls (here every virtual millisecond), so its deadlines fire up to a millisecond late: keepalive pings (PINGREQ) are left out, as their count in a window depends on that lag.",
        "Both run with a stable-link time of 0 (the reconnect delays start over at every accepted CONNACK): with delays that grow across short links, the device's poll lag (up to a poll per I/O hop, which adds up) can put one reconnect on the other side of the instant a schedule heals, so the two meet different faults; the growing delays are the engine's, covered by its own tests and invariant properties.",
        "For the same reason one client may end a run a few packets ahead: the wires must agree packet for packet as far as both go, and the extra packets must all fall in the last second of the run.",
        "The runners number outbound payloads differently (the device runner's counter also counts broker publishes): PUBLISH is compared by topic, QoS, DUP, RETAIN and packet identifier, not payload.",
    ];

    // Both run on for this long once settled: a client that settles before noticing a loss (the device reads its socket
    // only when it polls) then shows what it does about it.
    private static readonly TimeSpan Tail = TimeSpan.FromSeconds(15);

    // How far behind the device may end a run: its deadlines fire up to a poll (1 ms) late, over many deadlines.
    private static readonly TimeSpan LagAllowance = TimeSpan.FromSeconds(1);

    [Fact]
    public void Core_and_device_clients_send_the_same_packets_under_the_same_fault_schedule()
    {
        Property property = Prop.ForAll(ScheduleGenerators.Schedules(), schedule =>
        {
            var normalised = schedule with
            {
                Steps = [.. schedule.Steps.Where(s => s is not FaultStep.ConnectsInProgress and not FaultStep.BrokerDrops { Type: PacketKind.PingResp }).Select(s => s is FaultStep.Publish p
                    ? p with { CancelAfterMs = null, Qos = p.Qos == MqttQualityOfService.ExactlyOnce ? MqttQualityOfService.AtLeastOnce : p.Qos }
                    : s)],
            };
            SimulationWorld? coreWorld = null;
            SimulationWorld? deviceWorld = null;
            string? coreFailure = ScheduleRunner.Run(normalised, worldCreated: w => coreWorld = w, tail: Tail, stableLinkTime: TimeSpan.Zero);
            string? deviceFailure = NanoScheduleRunner.Run(normalised, w => deviceWorld = w, Tail, pollMilliseconds: 1, stableLinkTime: TimeSpan.Zero);
            if (coreFailure is not null || deviceFailure is not null)
            {
                return false.Label($"an invariant failed first: core {coreFailure ?? "ok"}; device {deviceFailure ?? "ok"}");
            }

            var core = Wire(coreWorld!, ScheduleRunner.ClientId);
            var device = Wire(deviceWorld!, NanoScheduleRunner.ClientId);
            int common = Math.Min(core.Count, device.Count);
            int first = Enumerable.Range(0, common).FirstOrDefault(i => core[i].Packet != device[i].Packet, common);
            // Packet for packet as far as both go; one may have gone further only at the very end of its run (the device's
            // deadlines fire up to a poll late, and those lags add up over a schedule).
            bool same = first == common && Late(core, common, coreWorld!) && Late(device, common, deviceWorld!);
            return same.Label(same ? "" :
                $"the wires part at packet {first}: core {At(core, first)}, device {At(device, first)}{Environment.NewLine}" +
                $"core:   {string.Join(" ", core.Skip(Math.Max(0, first - 5)).Take(12).Select(p => p.Packet))}{Environment.NewLine}" +
                $"device: {string.Join(" ", device.Skip(Math.Max(0, first - 5)).Take(12).Select(p => p.Packet))}{Environment.NewLine}" +
                $"As a regression case: {ScheduleCode.Of(normalised)}");
        });
        TestSeeds.Check(property, 300);
    }

    private static string At(List<(string Packet, TimeSpan At)> wire, int i) => i < wire.Count ? $"{wire[i].Packet} at {wire[i].At}" : "(ended)";

    /// <summary>True when every packet from <paramref name="from"/> on was sent in the last second of the run.</summary>
    private static bool Late(List<(string Packet, TimeSpan At)> wire, int from, SimulationWorld world) =>
        wire.Skip(from).All(p => p.At >= world.Time.Elapsed - LagAllowance);

    /// <summary>What the client put on the wire, in order, as the broker's tap recorded it, less what the APIs force apart.</summary>
    private static List<(string Packet, TimeSpan At)> Wire(SimulationWorld world, string clientId) =>
        [.. world.Broker.ReceivedFrom(clientId).Where(r => r.Packet is not PingReqPacket).Select(r => (Project(r.Packet), r.At))];

    private static string Project(MqttPacket packet) => packet switch
    {
        ConnectPacket c => $"CONNECT(clean={c.CleanSession},ka={c.KeepAliveSeconds})",
        PublishPacket p => $"PUBLISH({p.Topic},q{(int)p.QualityOfService},{(p.Dup ? "dup" : "")}{(p.Retain ? ",retain" : "")},#{p.PacketId})",
        SubscribePacket s => $"SUBSCRIBE(#{s.PacketId},{string.Join("+", s.Subscriptions.Select(x => $"{x.TopicFilter}:{(int)x.QualityOfService}"))})",
        UnsubscribePacket u => $"UNSUBSCRIBE(#{u.PacketId},{string.Join("+", u.TopicFilters)})",
        IHasPacketId withId => $"{packet.Type}(#{withId.PacketId})",
        _ => packet.Type.ToString(),
    };
}
