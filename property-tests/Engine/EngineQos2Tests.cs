using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Engine;

/// <summary>
/// Outbound QoS 2, row by row of the Publish table: PUBLISH until PUBREC (re-sent with DUP), then PUBREL until PUBCOMP
/// (re-sent, never the PUBLISH), completing at PUBCOMP; what each state does on a timeout, a lost link, a cancel and an
/// answer of the wrong kind; and the in-flight window's count of QoS 2 flows.
/// </summary>
public sealed class EngineQos2Tests
{
    private static List<PacketKind> FlowOf(EngineHarness h, OutboundMessage m, int mark = 0) =>
        [.. h.SentSince(mark).Where(a => ReferenceEquals(a.Message, m) || (a.Packet == PacketKind.PubRel && a.PacketId == m.PacketId)).Select(a => a.Packet)];

    private static void PubRec(EngineHarness h, OutboundMessage m) => h.Do((e, now) => e.HandlePubRec(e.Link, m.PacketId, now));

    private static void PubComp(EngineHarness h, OutboundMessage m) => h.Do((e, now) => e.HandlePubComp(e.Link, m.PacketId, now));

    private static bool Took(EngineHarness h, PublishState from, PublishTrigger trigger, PublishState to) =>
        h.Transitions.Exists(t => t.Machine == "Publish" && t.From == from.ToString() && t.Trigger == trigger.ToString() && t.To == to.ToString());

    [Fact]
    public void The_first_send_is_a_PUBLISH_with_a_new_identifier_and_DUP_0_and_the_flow_awaits_PUBREC()
    {
        var h = new EngineHarness();
        h.Connect();
        OutboundMessage m = h.Publish("t", 2);

        EngineAction publish = Assert.Single(h.SendsOf(m));
        Assert.False(publish.Dup);
        Assert.False(publish.NotifyWritten);
        Assert.NotEqual(0, m.PacketId);
        Assert.Equal(PublishState.AwaitingPubRec, m.State);
        Assert.Equal(1, h.Engine.InFlightCount);
        Assert.True(Took(h, PublishState.Queued, PublishTrigger.Transmit, PublishState.AwaitingPubRec));
    }

    [Fact]
    public void PUBREC_is_answered_with_PUBREL_and_PUBCOMP_completes_the_publish()
    {
        var h = new EngineHarness();
        h.Connect();
        OutboundMessage m = h.Publish("t", 2);
        PubRec(h, m);

        EngineAction release = h.Sent.Last();
        Assert.Equal((PacketKind.PubRel, m.PacketId), (release.Packet, release.PacketId));
        Assert.Equal(PublishState.AwaitingPubComp, m.State);
        Assert.Equal(1, h.Engine.InFlightCount);
        Assert.Empty(h.TerminalEventsFor(m.Caller));

        PubComp(h, m);
        Assert.Equal(EventKind.PublishCompleted, Assert.Single(h.TerminalEventsFor(m.Caller)).Kind);
        Assert.Equal((0, 0, 1L), (h.Engine.HeldCount, h.Engine.InFlightCount, h.Engine.Statistics.Acknowledged));
        Assert.Equal([PacketKind.Publish, PacketKind.PubRel], FlowOf(h, m));
    }

    [Fact]
    public void A_repeated_PUBREC_is_answered_with_PUBREL_again()
    {
        var h = new EngineHarness();
        h.Connect();
        OutboundMessage m = h.Publish("t", 2);
        PubRec(h, m);
        PubRec(h, m);

        Assert.Equal([PacketKind.Publish, PacketKind.PubRel, PacketKind.PubRel], FlowOf(h, m));
        Assert.Equal(PublishState.AwaitingPubComp, m.State);
    }

    [Fact]
    public void Without_PUBREC_the_PUBLISH_is_re_sent_with_DUP_then_the_link_is_declared_dead()
    {
        var h = new EngineHarness(o => { o.MaxRepublishes = 2; o.KeepAliveMs = 0; });
        h.Connect();
        OutboundMessage m = h.Publish("t", 2);
        h.Advance(h.Options.ResponseTimeMs * 2);
        Assert.Equal([false, true, true], h.SendsOf(m).Select(a => a.Dup));
        Assert.All(h.SendsOf(m), a => Assert.Equal(m.PacketId, a.Message.PacketId));
        Assert.True(h.Engine.IsConnected);

        h.Advance(h.Options.ResponseTimeMs);
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
        Assert.Contains(h.Events, e => e.Kind == EventKind.LinkDown && e.Reason == $"no PUBREC for packet {m.PacketId} after 2 re-sends");
        Assert.Equal(PublishState.ResendQos2, m.State);
        Assert.Equal(2, h.Engine.Statistics.Resent);

        // The next link re-sends the PUBLISH with DUP and the same identifier, and counts the re-sends afresh.
        h.Reconnect();
        Assert.Equal(PublishState.AwaitingPubRec, m.State);
        EngineAction again = h.SendsOf(m).Last();
        Assert.True(again.Dup);
        Assert.Equal(m.PacketId, again.Message.PacketId);
        h.Advance(h.Options.ResponseTimeMs * 2);
        Assert.True(h.Engine.IsConnected);
    }

    [Fact]
    public void Without_PUBCOMP_PUBREL_is_re_sent_never_the_PUBLISH_then_the_link_is_declared_dead()
    {
        var h = new EngineHarness(o => { o.MaxRepublishes = 2; o.KeepAliveMs = 0; });
        h.Connect();
        OutboundMessage m = h.Publish("t", 2);
        h.Advance(500);
        PubRec(h, m);
        // The PUBREC started the PUBREL's own response time and re-send count.
        h.Advance(h.Options.ResponseTimeMs - 1);
        Assert.Equal([PacketKind.Publish, PacketKind.PubRel], FlowOf(h, m));
        h.Advance(1 + h.Options.ResponseTimeMs);
        Assert.Equal([PacketKind.Publish, PacketKind.PubRel, PacketKind.PubRel, PacketKind.PubRel], FlowOf(h, m));
        Assert.True(h.Engine.IsConnected);

        h.Advance(h.Options.ResponseTimeMs);
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
        Assert.Contains(h.Events, e => e.Kind == EventKind.LinkDown && e.Reason == $"no PUBCOMP for packet {m.PacketId} after 2 re-sends");
        Assert.Equal(PublishState.ResendPubRel, m.State);
        Assert.Equal(0, h.Engine.Statistics.Resent); // PUBLISH re-sends only

        int mark = h.Mark();
        h.Reconnect();
        Assert.Equal([PacketKind.PubRel], FlowOf(h, m, mark));
        Assert.Equal(PublishState.AwaitingPubComp, m.State);
        PubComp(h, m);
        Assert.Equal(EventKind.PublishCompleted, Assert.Single(h.TerminalEventsFor(m.Caller)).Kind);
        Assert.Single(h.SendsOf(m));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_lost_link_re_sends_the_PUBLISH_before_PUBREC_and_only_PUBREL_after_it_whatever_the_session(bool sessionPresent)
    {
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        OutboundMessage before = h.Publish("a", 2);
        OutboundMessage after = h.Publish("b", 2);
        PubRec(h, after);
        h.LinkError();
        Assert.Equal((PublishState.ResendQos2, PublishState.ResendPubRel), (before.State, after.State));
        Assert.Equal(0, h.Engine.InFlightCount);

        int mark = h.Mark();
        h.Reconnect(sessionPresent);
        // In acceptance order; a new session too gets PUBREL: the broker had the message, and answers PUBCOMP.
        List<EngineAction> sent = h.SentSince(mark).Where(a => a.Packet is PacketKind.Publish or PacketKind.PubRel).ToList();
        Assert.Equal([(PacketKind.Publish, before.PacketId, true), (PacketKind.PubRel, after.PacketId, false)], sent.Select(a => (a.Packet, a.Packet == PacketKind.PubRel ? a.PacketId : a.Message.PacketId, a.Dup)));
        Assert.Equal((PublishState.AwaitingPubRec, PublishState.AwaitingPubComp), (before.State, after.State));
        Assert.Equal(2, h.Engine.InFlightCount);
    }

    [Fact]
    public void A_failed_reconnect_leaves_the_flows_waiting_to_be_re_sent()
    {
        var h = new EngineHarness();
        h.Connect();
        OutboundMessage before = h.Publish("a", 2);
        OutboundMessage after = h.Publish("b", 2);
        PubRec(h, after);
        h.LinkError();
        h.Advance(h.Engine.PollTimeout() - h.Now);
        h.LinkError(SocketErrorCode.ConnectionRefused);

        Assert.True(Took(h, PublishState.ResendQos2, PublishTrigger.LinkLost, PublishState.ResendQos2));
        Assert.True(Took(h, PublishState.ResendPubRel, PublishTrigger.LinkLost, PublishState.ResendPubRel));
        Assert.Equal((PublishState.ResendQos2, PublishState.ResendPubRel), (before.State, after.State));
    }

    [Theory]
    [InlineData("AwaitingPubRec")]
    [InlineData("AwaitingPubComp")]
    [InlineData("ResendQos2")]
    [InlineData("ResendPubRel")]
    public void Cancelling_once_sent_detaches_the_caller_and_the_flow_goes_on_to_PUBCOMP(string state)
    {
        var h = new EngineHarness();
        h.Connect();
        OutboundMessage m = h.Publish("t", 2);
        if (state is "AwaitingPubComp" or "ResendPubRel")
        {
            PubRec(h, m);
        }

        if (state.StartsWith("Resend", StringComparison.Ordinal))
        {
            h.LinkError();
        }

        Assert.Equal(state, m.State.ToString());
        h.Do((e, now) => e.CancelPublish(m, now));
        EngineEvent cancelled = Assert.Single(h.TerminalEventsFor(m.Caller));
        Assert.Equal(EventKind.PublishCancelled, cancelled.Kind);
        Assert.Equal("the caller stopped waiting; the message is still held until PUBCOMP", cancelled.Reason);
        Assert.Equal(state, m.State.ToString());
        Assert.Equal(1, h.Engine.HeldCount);

        if (!h.Engine.IsConnected)
        {
            h.Reconnect();
        }

        if (m.State == PublishState.AwaitingPubRec)
        {
            PubRec(h, m);
        }

        PubComp(h, m);
        Assert.Equal(0, h.Engine.HeldCount);
        Assert.Single(h.TerminalEventsFor(m.Caller)); // completed, but its caller left: no second ending
    }

    [Fact]
    public void Cancelling_before_the_first_send_withdraws_a_QoS_2_message()
    {
        var h = new EngineHarness();
        OutboundMessage m = h.Publish("t", 2);
        h.Do((e, now) => e.CancelPublish(m, now));

        Assert.Equal(PublishState.Withdrawn, m.State);
        Assert.Equal("withdrawn before it was sent", Assert.Single(h.TerminalEventsFor(m.Caller)).Reason);
        h.Connect();
        Assert.Empty(h.SendsOf(m));
    }

    [Fact]
    public void Answers_of_the_other_QoS_kind_are_ignored_by_every_flow()
    {
        var h = new EngineHarness();
        h.Connect();
        OutboundMessage qos1 = h.Publish("a", 1);
        OutboundMessage awaitingRec = h.Publish("b", 2);
        OutboundMessage awaitingComp = h.Publish("c", 2);
        PubRec(h, awaitingComp);
        int mark = h.Mark();

        PubRec(h, qos1);
        PubComp(h, qos1);
        h.Do((e, now) => e.HandlePubAck(e.Link, awaitingRec.PacketId, now));
        PubComp(h, awaitingRec); // before any PUBREL of ours: it answers nothing
        h.Do((e, now) => e.HandlePubAck(e.Link, awaitingComp.PacketId, now));

        Assert.Empty(h.SentSince(mark));
        Assert.Equal((PublishState.AwaitingPubAck, PublishState.AwaitingPubRec, PublishState.AwaitingPubComp), (qos1.State, awaitingRec.State, awaitingComp.State));
        Assert.All(new[] { qos1, awaitingRec, awaitingComp }, m => Assert.Empty(h.TerminalEventsFor(m.Caller)));
        Assert.True(Took(h, PublishState.AwaitingPubAck, PublishTrigger.PubRec, PublishState.AwaitingPubAck));
        Assert.True(Took(h, PublishState.AwaitingPubAck, PublishTrigger.PubComp, PublishState.AwaitingPubAck));
        Assert.True(Took(h, PublishState.AwaitingPubRec, PublishTrigger.PubAck, PublishState.AwaitingPubRec));
        Assert.True(Took(h, PublishState.AwaitingPubRec, PublishTrigger.PubComp, PublishState.AwaitingPubRec));
        Assert.True(Took(h, PublishState.AwaitingPubComp, PublishTrigger.PubAck, PublishState.AwaitingPubComp));
    }

    [Fact]
    public void PUBREC_and_PUBCOMP_for_identifiers_nothing_holds_are_ignored_and_counted()
    {
        var h = new EngineHarness();
        h.Connect();
        h.Do((e, now) => e.HandlePubRec(e.Link, 7, now));
        h.Do((e, now) => e.HandlePubComp(e.Link, 8, now));

        Assert.DoesNotContain(h.Sent, a => a.Packet == PacketKind.PubRel);
        Assert.Equal(2, h.Engine.Statistics.PacketsIgnored);
        Assert.Equal(["PUBREC for packet 7, which no message awaits", "PUBCOMP for packet 8, which no message awaits"],
            h.Events.Where(e => e.Kind == EventKind.PacketIgnored).Select(e => e.Reason));
    }

    [Fact]
    public void The_in_flight_window_counts_QoS_2_flows_awaiting_PUBREC_and_PUBCOMP()
    {
        var h = new EngineHarness(o => o.MaxInflight = 2);
        h.Connect();
        OutboundMessage first = h.Publish("a", 2);
        OutboundMessage second = h.Publish("b", 2);
        PubRec(h, second);
        OutboundMessage third = h.Publish("c", 1);

        Assert.Empty(h.SendsOf(third));
        Assert.Equal(2, h.Engine.InFlightCount);
        PubRec(h, first); // still in flight: awaiting PUBCOMP now
        Assert.Empty(h.SendsOf(third));
        PubComp(h, second);
        Assert.Single(h.SendsOf(third));
        Assert.Equal(2, h.Engine.InFlightCount);
        Assert.NotEqual(first.PacketId, third.PacketId); // I2: unique among those in flight
    }

    [Fact]
    public void A_message_is_never_published_again_once_its_PUBREL_was_sent_whatever_happens()
    {
        var h = new EngineHarness(o => { o.MaxRepublishes = 1; o.CleanSession = false; });
        h.Connect();
        OutboundMessage m = h.Publish("t", 2);
        PubRec(h, m);
        h.Advance(h.Options.ResponseTimeMs * 2); // PUBREL re-sent, then the link declared dead
        h.Reconnect(sessionPresent: false);
        h.LoseAndReconnect(sessionPresent: true);
        PubRec(h, m); // a late PUBREC: PUBREL again, not the PUBLISH
        h.Do((e, now) => e.Disconnect(new object(), now));
        h.CompleteWrites();
        h.Connect(sessionPresent: true);

        Assert.Single(h.SendsOf(m));
        // The first, its re-send after the response time, one per reconnect (three), and the answer to the late PUBREC.
        Assert.Equal(6, h.Sent.Count(a => a.Packet == PacketKind.PubRel && a.PacketId == m.PacketId));
        Assert.Equal(PublishState.AwaitingPubComp, m.State);
    }
}
