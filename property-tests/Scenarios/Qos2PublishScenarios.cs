using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.PropertyTests.Simulation.Broker;
using StateMachineMqtt.PropertyTests.Simulation.Network;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>
/// Outbound QoS 2 through the real client on the simulated network and broker: PUBLISH until PUBREC (re-sent with DUP),
/// then PUBREL until PUBCOMP (re-sent, never the PUBLISH), completing at PUBCOMP; the broker forwards each message once
/// while its session lasts (I1, I4, I9).
/// </summary>
public class Qos2PublishScenarios
{
    private static readonly MqttQualityOfService Qos2 = MqttQualityOfService.ExactlyOnce;

    private static Task Publish(Scenario s, byte payload = 42, CancellationToken ct = default) =>
        s.Start(c => c.PublishAsync("t", new[] { payload }, Qos2, cancellationToken: ct));

    /// <summary>What the client wrote of QoS 2's flow, in order, as tapped at its end: PUBLISH (with DUP) and PUBREL.</summary>
    private static List<string> Flow(Scenario s) =>
        [.. s.World.Broker.WrittenBy(Scenario.ClientId).Where(p => p is PublishPacket or PubRelPacket)
            .Select(p => p is PublishPacket { Dup: true } ? "PUBLISH DUP" : p.Type.ToString().ToUpperInvariant())];

    private static List<AcceptedMessage> Copies(Scenario s, byte payload = 42) => [.. s.World.Broker.AcceptedOn("t").Where(m => m.Payload.Span[0] == payload)];

    private static ushort LastPublishedId(Scenario s) => s.World.Broker.WrittenBy(Scenario.ClientId).OfType<PublishPacket>().Last().PacketId;

    private static bool Took(Scenario s, PublishState from, PublishTrigger trigger, PublishState to) =>
        s.Transitions.Exists(t => t.Machine == "Publish" && t.From == from.ToString() && t.Trigger == trigger.ToString() && t.To == to.ToString());

    [Fact]
    public void QoS_2_completes_at_PUBCOMP_after_PUBREC_and_PUBREL_and_is_forwarded_once()
    {
        var s = new Scenario(300);
        s.Connect();
        s.World.Broker.Faults.DelayOutgoing(MqttPacketType.PubComp, TimeSpan.FromSeconds(1));
        Task publish = Publish(s);
        s.RunFor(TimeSpan.FromMilliseconds(500));
        Assert.False(publish.IsCompleted, "completed before PUBCOMP");
        Assert.Equal(["PUBLISH", "PUBREL"], Flow(s));

        s.Await(publish, TimeSpan.FromSeconds(2));
        AcceptedMessage accepted = Assert.Single(Copies(s));
        Assert.Equal((Qos2, false), (accepted.QualityOfService, accepted.Dup));
        Assert.Equal([MqttPacketType.ConnAck, MqttPacketType.PubRec, MqttPacketType.PubComp], s.World.Broker.SentTo(Scenario.ClientId).Select(r => r.Type));
        Assert.Equal(1, s.Client.Statistics.Acknowledged);
        Assert.Empty(s.Client.SnapshotHeldMessages());
        Assert.Empty(s.World.Broker.HeldQos2Ids(Scenario.ClientId));
        Assert.True(Took(s, PublishState.Queued, PublishTrigger.Transmit, PublishState.AwaitingPubRec));
        Assert.True(Took(s, PublishState.AwaitingPubComp, PublishTrigger.PubComp, PublishState.Acked));
        s.AssertConformant();
    }

    [Fact]
    public void A_lost_PUBREC_is_followed_by_a_DUP_re_send_after_the_response_time_and_the_message_is_forwarded_once()
    {
        var s = new Scenario(301);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubRec, 1);
        s.Await(Publish(s));

        Assert.Equal(["PUBLISH", "PUBLISH DUP", "PUBREL"], Flow(s));
        var sends = s.World.Broker.ReceivedFrom(Scenario.ClientId).Where(r => r.Packet is PublishPacket).ToList();
        Assert.Equal(sends[0].PacketId, sends[1].PacketId);
        Assert.Equal(s.Options.ResponseTime, sends[1].At - sends[0].At);
        // The broker held the identifier, so the re-send is the same message: forwarded once.
        Assert.Single(Copies(s));
        Assert.Equal(1, s.World.Network.LinksOpened);
        s.AssertConformant();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_lost_PUBCOMP_is_followed_by_PUBREL_on_reconnect_never_the_PUBLISH_and_the_message_is_forwarded_once(bool cleanSession)
    {
        var s = new Scenario(302, o => o.CleanSession = cleanSession);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubComp, 1);
        Task publish = Publish(s);
        s.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.Equal(["PUBLISH", "PUBREL"], Flow(s));
        s.World.Network.LastLink!.Reset();

        s.Await(publish, TimeSpan.FromSeconds(30));
        // PUBREC came: the broker has the message, so only PUBREL goes again — to a new session too, which answers PUBCOMP.
        Assert.Equal(["PUBLISH", "PUBREL", "PUBREL"], Flow(s));
        Assert.Equal(2, s.World.Network.LinksOpened);
        Assert.Single(Copies(s));
        Assert.True(Took(s, PublishState.ResendPubRel, PublishTrigger.Transmit, PublishState.AwaitingPubComp));
        s.AssertConformant();
    }

    [Fact]
    public void A_lost_PUBCOMP_is_followed_by_a_PUBREL_re_send_after_the_response_time()
    {
        var s = new Scenario(303);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubComp, 1);
        s.Await(Publish(s));

        Assert.Equal(["PUBLISH", "PUBREL", "PUBREL"], Flow(s));
        var releases = s.World.Broker.ReceivedFrom(Scenario.ClientId).Where(r => r.Packet is PubRelPacket).ToList();
        Assert.Equal(s.Options.ResponseTime, releases[1].At - releases[0].At);
        Assert.Single(Copies(s));
        Assert.Equal(1, s.World.Network.LinksOpened);
        s.AssertConformant();
    }

    [Theory]
    [InlineData(PacketKind.PubRec, "AwaitingPubRec")]
    [InlineData(PacketKind.PubComp, "AwaitingPubComp")]
    public void Cancelling_after_the_first_send_ends_only_the_wait_the_message_is_still_delivered_once(PacketKind lost, string waiting)
    {
        var s = new Scenario(304);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing((MqttPacketType)lost, 1);
        using var cts = new CancellationTokenSource();
        Task publish = Publish(s, ct: cts.Token);
        s.RunFor(TimeSpan.FromSeconds(1));
        cts.Cancel();
        s.RunFor(TimeSpan.FromMilliseconds(10));
        Assert.True(publish.IsCanceled);
        Assert.Contains(s.Transitions, t => t is { Machine: "Publish", Trigger: "Cancel" } && t.From == waiting && t.To == waiting);

        Assert.True(s.RunUntil(() => s.Client.SnapshotHeldMessages().Count == 0, TimeSpan.FromSeconds(10)), s.Describe());
        Assert.Single(Copies(s));
        Assert.Equal(1, s.Client.Statistics.Acknowledged);
        s.AssertConformant();
    }

    [Fact]
    public void The_in_flight_window_counts_QoS_2_messages_awaiting_PUBREC_or_PUBCOMP()
    {
        var s = new Scenario(305, o => o.MaxInflight = 2);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubRec, 1);
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubComp, 1);
        var publishes = new List<Task>();
        for (byte i = 0; i < 4; i++)
        {
            publishes.Add(Publish(s, i));
        }

        publishes.Add(s.Start(c => c.PublishAsync("t", new byte[] { 4 }, MqttQualityOfService.AtLeastOnce)));
        s.RunFor(TimeSpan.FromMilliseconds(500));

        // The first awaits PUBREC, the second PUBCOMP: the window (2) is full, so nothing else, QoS 1 neither, goes.
        Assert.Equal([PublishState.AwaitingPubRec, PublishState.AwaitingPubComp, PublishState.Queued, PublishState.Queued, PublishState.Queued],
            s.Client.SnapshotHeldMessages().Select(m => m.State));
        Assert.Equal(["PUBLISH", "PUBLISH", "PUBREL"], Flow(s));

        s.Await(Task.WhenAll(publishes), TimeSpan.FromSeconds(30));
        Assert.Equal([0, 1, 2, 3, 4], s.World.Broker.AcceptedOn("t").Select(m => (int)m.Payload.Span[0]));
        s.AssertConformant();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_broker_restart_keeping_sessions_keeps_exactly_once_and_one_losing_them_cannot(bool keepSessions)
    {
        var s = new Scenario(306, o => o.CleanSession = false);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubRec, 1);
        Task first = Publish(s, 1);
        s.RunFor(TimeSpan.FromMilliseconds(100));
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubComp, 1);
        Task second = Publish(s, 2);
        s.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.Equal([PublishState.AwaitingPubRec, PublishState.AwaitingPubComp], s.Client.SnapshotHeldMessages().Select(m => m.State));

        s.World.Broker.Restart(keepSessions);
        s.Await(Task.WhenAll(first, second), TimeSpan.FromSeconds(30));

        Assert.Equal(keepSessions, s.Events.Last(e => e.Event.Change == MqttConnectionChange.Connected).Event.SessionPresent);
        // The first's PUBREC never came, so its PUBLISH goes again (DUP); the second's did, so only its PUBREL goes again.
        Assert.Equal(["PUBLISH", "PUBLISH", "PUBREL", "PUBLISH DUP", "PUBREL", "PUBREL"], Flow(s));
        Assert.Single(Copies(s, 2));
        // A kept session still holds the first's identifier: the re-send is the same message. A lost one does not: the
        // broker takes it as new, in its new session (no client can prevent that; the client still sent it only as a DUP).
        List<AcceptedMessage> firstCopies = Copies(s, 1);
        Assert.Equal(keepSessions ? 1 : 2, firstCopies.Count);
        Assert.Equal(firstCopies.Count, firstCopies.Select(m => m.Session).Distinct().Count());
        Assert.Empty(s.World.Broker.HeldQos2Ids(Scenario.ClientId));
        s.AssertConformant();
    }

    [Fact]
    public void A_repeated_PUBREC_is_answered_with_PUBREL_again_and_the_second_PUBCOMP_is_ignored()
    {
        var s = new Scenario(307);
        s.Connect();
        s.World.Broker.Faults.DuplicateOutgoing(MqttPacketType.PubRec, 1);
        s.Await(Publish(s));
        s.RunFor(TimeSpan.FromMilliseconds(100));

        Assert.Equal(["PUBLISH", "PUBREL", "PUBREL"], Flow(s));
        Assert.True(Took(s, PublishState.AwaitingPubComp, PublishTrigger.PubRec, PublishState.AwaitingPubComp));
        Assert.Equal(2, s.World.Broker.SentTo(Scenario.ClientId).Count(r => r.Type == MqttPacketType.PubComp));
        Assert.Single(Copies(s));
        Assert.Equal(1, s.Client.Statistics.Acknowledged);
        s.AssertConformant();
    }

    [Theory]
    [InlineData(PacketKind.PubRec, "PUBLISH,PUBLISH DUP,PUBLISH DUP,PUBREL")]
    [InlineData(PacketKind.PubComp, "PUBLISH,PUBREL,PUBREL,PUBREL")]
    public void After_the_maximum_re_sends_the_link_is_declared_dead_and_the_flow_goes_on_on_the_next_link(PacketKind lost, string flow)
    {
        // A persistent session: the broker still holds the identifier when the PUBLISH goes again on the next link.
        var s = new Scenario(308, o =>
        {
            o.MaxRepublishes = 1;
            o.CleanSession = false;
        });
        s.Connect();
        s.World.Broker.Faults.DropOutgoing((MqttPacketType)lost, 2);
        s.Await(Publish(s), TimeSpan.FromSeconds(30));

        Assert.True(s.Took("Connection", "RepublishLimitReached"), s.Describe());
        Assert.Equal(2, s.World.Network.LinksOpened);
        Assert.Equal(flow, string.Join(",", Flow(s)));
        Assert.Single(Copies(s));
        s.AssertConformant();
    }

    [Theory]
    [InlineData(PacketKind.PubRec, "ResendQos2")]
    [InlineData(PacketKind.PubComp, "ResendPubRel")]
    public void Cancelling_while_waiting_to_be_re_sent_detaches_the_caller_and_the_flow_goes_on_when_the_link_is_back(PacketKind lost, string waiting)
    {
        // A persistent session, so the broker still holds the identifier of a PUBLISH it never got to answer.
        var s = new Scenario(309, o => o.CleanSession = false);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing((MqttPacketType)lost, 1);
        using var cts = new CancellationTokenSource();
        Task publish = Publish(s, ct: cts.Token);
        s.RunFor(TimeSpan.FromMilliseconds(100));
        s.World.Network.ConnectFault = ConnectFault.Refused;
        s.World.Network.ResetAllLinks();
        s.RunFor(TimeSpan.FromSeconds(3));
        cts.Cancel();
        s.RunFor(TimeSpan.FromMilliseconds(100));

        // A refused reconnect closes its link too: the waiting flow hears LinkLost again and keeps waiting.
        Assert.Contains(s.Transitions, t => t is { Machine: "Publish", Trigger: "LinkLost" } && t.From == waiting && t.To == waiting);
        Assert.Contains(s.Transitions, t => t is { Machine: "Publish", Trigger: "Cancel" } && t.From == waiting && t.To == waiting);
        Assert.IsAssignableFrom<OperationCanceledException>(Scenario.Failure(publish));
        s.World.Network.ConnectFault = ConnectFault.None;
        Assert.True(s.RunUntil(() => s.Client.SnapshotHeldMessages().Count == 0, TimeSpan.FromMinutes(1)), s.Describe());
        Assert.Single(Copies(s));
        s.AssertConformant();
    }

    [Fact]
    public void Answers_of_the_other_QoS_kind_move_no_flow()
    {
        // A broker's mistake, or a stale answer for an identifier since reused: each flow ignores what is not its own answer.
        var s = new Scenario(310);
        s.Connect();

        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubAck, 1);
        Task qos1 = s.Start(c => c.PublishAsync("t", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce));
        s.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.True(s.World.Broker.SendStray(Scenario.ClientId, new PubRecPacket(LastPublishedId(s))));
        Assert.True(s.World.Broker.SendStray(Scenario.ClientId, new PubCompPacket(LastPublishedId(s))));
        s.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.False(qos1.IsCompleted, "a PUBREC or PUBCOMP completed a QoS 1 publish");
        Assert.DoesNotContain(s.World.Broker.WrittenBy(Scenario.ClientId), p => p is PubRelPacket);
        s.Await(qos1);

        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubRec, 1);
        Task awaitingPubRec = Publish(s, 2);
        s.RunFor(TimeSpan.FromMilliseconds(100));
        s.World.Broker.SendStray(Scenario.ClientId, new PubAckPacket(LastPublishedId(s)));
        s.World.Broker.SendStray(Scenario.ClientId, new PubCompPacket(LastPublishedId(s)));
        s.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.False(awaitingPubRec.IsCompleted, "a PUBACK or a PUBCOMP before PUBREL completed a QoS 2 publish");
        s.Await(awaitingPubRec);

        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubComp, 1);
        Task awaitingPubComp = Publish(s, 3);
        s.RunFor(TimeSpan.FromMilliseconds(100));
        s.World.Broker.SendStray(Scenario.ClientId, new PubAckPacket(LastPublishedId(s)));
        s.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.False(awaitingPubComp.IsCompleted, "a PUBACK completed a QoS 2 publish awaiting PUBCOMP");
        s.Await(awaitingPubComp);

        foreach ((PublishState state, PublishTrigger stray) in new[]
        {
            (PublishState.AwaitingPubAck, PublishTrigger.PubRec), (PublishState.AwaitingPubAck, PublishTrigger.PubComp),
            (PublishState.AwaitingPubRec, PublishTrigger.PubAck), (PublishState.AwaitingPubRec, PublishTrigger.PubComp),
            (PublishState.AwaitingPubComp, PublishTrigger.PubAck),
        })
        {
            Assert.True(Took(s, state, stray, state), $"{state} did not hear {stray}");
        }

        Assert.Equal([1, 2, 3], s.World.Broker.AcceptedOn("t").Select(m => (int)m.Payload.Span[0]).Distinct());
        Assert.Single(Copies(s, 2));
        Assert.Single(Copies(s, 3));
        s.AssertConformant();
    }
}
