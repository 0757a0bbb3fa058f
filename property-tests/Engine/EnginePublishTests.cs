using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Engine;

/// <summary>Outbound messages: QoS 0 completion, QoS 1 re-sends with DUP (I4), the in-flight window, packet identifiers (I2), cancel (I1).</summary>
public sealed class EnginePublishTests
{
    [Fact]
    public void QoS0_completes_when_written_not_when_queued()
    {
        var h = new EngineHarness();
        h.Connect();
        OutboundMessage message = h.Publish("t", 0);
        EngineAction publish = Assert.Single(h.SendsOf(message));
        Assert.True(publish.NotifyWritten);
        Assert.Equal(0, message.PacketId);
        Assert.Empty(h.TerminalEventsFor(message.Caller));
        Assert.Equal(1, h.Engine.HeldCount);

        h.Do((e, now) => e.HandleWritten(publish, now));
        Assert.Equal(EventKind.PublishCompleted, Assert.Single(h.TerminalEventsFor(message.Caller)).Kind);
        Assert.Equal(0, h.Engine.HeldCount);
        Assert.Equal(1, h.Engine.Statistics.Written);

        h.Do((e, now) => e.HandleWritten(publish, now)); // a repeated report is harmless
        Assert.Single(h.TerminalEventsFor(message.Caller));
    }

    [Fact]
    public void QoS0_queued_while_disconnected_goes_once_connected()
    {
        var h = new EngineHarness();
        OutboundMessage message = h.Publish("t", 0);
        Assert.Empty(h.Sent);
        h.Connect();
        Assert.Single(h.SendsOf(message));
    }

    [Fact]
    public void QoS0_handed_to_a_link_that_dies_before_it_is_written_fails_and_is_not_sent_again()
    {
        var h = new EngineHarness();
        h.Connect();
        OutboundMessage message = h.Publish("t", 0);
        EngineAction publish = Assert.Single(h.SendsOf(message));
        h.LinkError();
        EngineEvent failed = Assert.Single(h.TerminalEventsFor(message.Caller));
        Assert.Equal(EventKind.PublishFailed, failed.Kind);
        Assert.Equal(0, h.Engine.HeldCount);

        h.Reconnect();
        h.Do((e, now) => e.HandleWritten(publish, now)); // the dead link's late report
        Assert.Single(h.SendsOf(message));
        Assert.Single(h.TerminalEventsFor(message.Caller));
    }

    [Fact]
    public void QoS0_cancelled_before_it_is_sent_is_withdrawn_and_after_it_completes_when_written()
    {
        var h = new EngineHarness();
        OutboundMessage early = h.Publish("t", 0);
        h.Do((e, now) => e.CancelPublish(early, now));
        Assert.Equal(EventKind.PublishCancelled, Assert.Single(h.TerminalEventsFor(early.Caller)).Kind);

        h.Connect();
        Assert.Empty(h.SendsOf(early));
        OutboundMessage late = h.Publish("t", 0);
        h.Do((e, now) => e.CancelPublish(late, now));
        Assert.Empty(h.TerminalEventsFor(late.Caller));
        h.CompleteWrites();
        Assert.Equal(EventKind.PublishCompleted, Assert.Single(h.TerminalEventsFor(late.Caller)).Kind);
    }

    [Fact]
    public void QoS1_is_re_sent_with_DUP_on_each_response_timeout_then_the_link_is_declared_dead()
    {
        var h = new EngineHarness(o => { o.MaxRepublishes = 3; o.KeepAliveMs = 0; });
        h.Connect();
        OutboundMessage message = h.Publish("t", 1);
        int id = message.PacketId;
        for (int i = 1; i <= 3; i++)
        {
            h.Advance(h.Options.ResponseTimeMs - 1);
            Assert.Equal(i, h.SendsOf(message).Count);
            h.Advance(1);
            Assert.Equal(i + 1, h.SendsOf(message).Count);
        }

        h.Advance(h.Options.ResponseTimeMs);
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
        Assert.Contains(h.Events, e => e.Kind == EventKind.LinkDown && e.Reason.Contains("after 3 re-sends", StringComparison.Ordinal));
        Assert.Equal(PublishState.Resend, message.State);
        Assert.Equal(1, h.Engine.HeldCount);

        List<EngineAction> sends = h.SendsOf(message);
        Assert.Equal(4, sends.Count);
        Assert.Equal([false, true, true, true], sends.Select(a => a.Dup));
        Assert.All(sends, a => Assert.Equal(id, a.Message.PacketId));
        Assert.Equal(3, h.Engine.Statistics.Resent);

        // The next link starts the count afresh, and the message keeps its identifier.
        h.Reconnect();
        Assert.Equal(5, h.SendsOf(message).Count);
        Assert.True(h.SendsOf(message).Last().Dup);
        Assert.Equal(id, message.PacketId);
        for (int i = 0; i < 3; i++)
        {
            h.Advance(h.Options.ResponseTimeMs);
        }

        Assert.True(h.Engine.IsConnected);
        Assert.Equal(8, h.SendsOf(message).Count);
        h.Do((e, now) => e.HandlePubAck(e.Link, id, now));
        Assert.Equal(EventKind.PublishCompleted, Assert.Single(h.TerminalEventsFor(message.Caller)).Kind);
    }

    [Fact]
    public void MaxRepublishes_zero_declares_the_link_dead_at_the_first_timeout()
    {
        var h = new EngineHarness(o => { o.MaxRepublishes = 0; o.KeepAliveMs = 0; });
        h.Connect();
        OutboundMessage message = h.Publish("t", 1);
        h.Advance(h.Options.ResponseTimeMs);
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
        Assert.Single(h.SendsOf(message));
    }

    [Fact]
    public void A_link_lost_re_sends_held_messages_with_DUP_in_order_after_a_clean_session_too()
    {
        var h = new EngineHarness(o => o.CleanSession = true);
        h.Connect();
        OutboundMessage[] messages = Enumerable.Range(0, 4).Select(i => h.Publish("t" + i, 1)).ToArray();
        int[] ids = messages.Select(m => m.PacketId).ToArray();
        h.LinkError();
        int mark = h.Mark();
        h.Reconnect(sessionPresent: false);
        List<EngineAction> resends = h.SentSince(mark).Where(a => a.Packet == PacketKind.Publish).ToList();
        Assert.Equal(messages, resends.Select(a => a.Message));
        Assert.All(resends, a => Assert.True(a.Dup));
        Assert.Equal(ids, messages.Select(m => m.PacketId));
    }

    [Fact]
    public void The_in_flight_window_is_respected_strictly_in_acceptance_order()
    {
        var h = new EngineHarness(o => o.MaxInflight = 2);
        h.Connect();
        OutboundMessage a = h.Publish("a", 1);
        OutboundMessage b = h.Publish("b", 1);
        OutboundMessage c = h.Publish("c", 1);
        OutboundMessage d = h.Publish("d", 0); // behind c, so it waits too
        OutboundMessage e1 = h.Publish("e", 1);
        Assert.Equal([a, b], h.Sent.Where(x => x.Packet == PacketKind.Publish).Select(x => x.Message));
        Assert.Equal(2, h.Engine.InFlightCount);
        Assert.Equal(0, c.PacketId); // identifiers are taken at first send

        h.Do((e, now) => e.HandlePubAck(e.Link, b.PacketId, now));
        Assert.Equal([a, b, c, d], h.Sent.Where(x => x.Packet == PacketKind.Publish).Select(x => x.Message));
        Assert.Equal(2, h.Engine.InFlightCount);
        Assert.Equal(0, e1.PacketId);

        h.Do((e, now) => e.HandlePubAck(e.Link, a.PacketId, now));
        Assert.Equal([a, b, c, d, e1], h.Sent.Where(x => x.Packet == PacketKind.Publish).Select(x => x.Message));
        Assert.Equal(2, h.Engine.InFlightCount);
    }

    [Fact]
    public void The_window_is_respected_when_re_sending_after_a_reconnect()
    {
        var h = new EngineHarness(o => { o.MaxInflight = 2; o.CleanSession = false; });
        h.Connect();
        OutboundMessage[] messages = Enumerable.Range(0, 4).Select(i => h.Publish("t", 1)).ToArray();
        h.LinkError();
        int mark = h.Mark();
        h.Reconnect(sessionPresent: true);
        Assert.Equal(messages[..2], h.SentSince(mark).Where(a => a.Packet == PacketKind.Publish).Select(a => a.Message));
        Assert.Equal(2, h.Engine.InFlightCount);
        h.Do((e, now) => e.HandlePubAck(e.Link, messages[0].PacketId, now));
        Assert.Equal(messages[..3], h.SentSince(mark).Where(a => a.Packet == PacketKind.Publish).Select(a => a.Message));
        Assert.Equal([false], h.SendsOf(messages[2]).Select(a => a.Dup)); // never sent on the first link: DUP = 0
        Assert.Equal([false, true], h.SendsOf(messages[1]).Select(a => a.Dup));
    }

    [Fact]
    public void A_message_held_back_by_the_window_across_a_reconnect_goes_with_DUP_0_after_the_re_sent_one_is_acknowledged()
    {
        var h = new EngineHarness(o => { o.MaxInflight = 1; o.CleanSession = false; });
        h.Connect();
        OutboundMessage a = h.Publish("a", 1);
        OutboundMessage b = h.Publish("b", 1);
        h.Do((e, now) => e.HandlePubAck(e.Link, a.PacketId, now));
        OutboundMessage c = h.Publish("c", 1);
        h.LinkError();
        h.Reconnect(sessionPresent: true);
        Assert.Equal(2, h.SendsOf(b).Count);
        Assert.Equal(PublishState.Queued, c.State);
        Assert.Equal(0, c.PacketId);
        h.Do((e, now) => e.HandlePubAck(e.Link, b.PacketId, now));
        Assert.Single(h.SendsOf(c));
        Assert.False(h.SendsOf(c).Single().Dup);
    }

    [Fact]
    public void Packet_identifiers_are_taken_at_first_send_unique_non_zero_and_released_at_completion()
    {
        var h = new EngineHarness(o => o.MaxInflight = 5);
        OutboundMessage[] queued = Enumerable.Range(0, 8).Select(_ => h.Publish("t", 1)).ToArray();
        Assert.All(queued, m => Assert.Equal(0, m.PacketId));
        h.Connect();
        int[] ids = queued.Where(m => m.PacketId != 0).Select(m => m.PacketId).ToArray();
        Assert.Equal(5, ids.Length);
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.DoesNotContain(0, ids);

        int acked = queued[0].PacketId;
        h.Do((e, now) => e.HandlePubAck(e.Link, acked, now));
        long ignored = h.Engine.Statistics.PacketsIgnored;
        h.Do((e, now) => e.HandlePubAck(e.Link, acked, now)); // released: a second PUBACK answers nothing
        Assert.Equal(ignored + 1, h.Engine.Statistics.PacketsIgnored);
        Assert.Single(h.TerminalEventsFor(queued[0].Caller));
    }

    [Fact]
    public void A_PUBACK_for_an_unknown_identifier_is_ignored_and_counted()
    {
        var h = new EngineHarness();
        h.Connect();
        OutboundMessage message = h.Publish("t", 1);
        h.Do((e, now) => e.HandlePubAck(e.Link, message.PacketId + 100, now));
        Assert.Equal(1, h.Engine.Statistics.PacketsIgnored);
        Assert.Single(h.Events, e => e.Kind == EventKind.PacketIgnored);
        Assert.Equal(1, h.Engine.HeldCount);
        Assert.True(h.Engine.IsConnected);
    }

    [Fact]
    public void A_PUBACK_for_a_subscribe_requests_identifier_is_ignored()
    {
        var h = new EngineHarness();
        h.Connect();
        SubscriptionRequest request = h.Subscribe("a");
        h.Do((e, now) => e.HandlePubAck(e.Link, request.PacketId, now));
        Assert.Equal(1, h.Engine.Statistics.PacketsIgnored);
        Assert.Empty(h.TerminalEventsFor(request.Caller));
    }

    [Fact]
    public void Packet_identifiers_wrap_from_65535_to_1_through_the_engine()
    {
        var h = new EngineHarness(o => o.KeepAliveMs = 0);
        h.Connect();
        SessionEngine engine = h.Engine;
        var seen = new List<int>();
        for (int i = 0; i < 65_537; i++)
        {
            var message = new OutboundMessage("t", [1], 1, false, null!);
            Assert.Equal(AdmitVerdict.Accept, engine.Publish(message, h.Now));
            seen.Add(message.PacketId);
            engine.HandlePubAck(engine.Link, message.PacketId, h.Now);
            while (engine.PollAction(out _) || engine.PollEvent(out _))
            {
            }
        }

        Assert.Equal(1, seen[0]);
        Assert.Equal(65_535, seen[65_534]);
        Assert.Equal(1, seen[65_535]);
        Assert.Equal(2, seen[65_536]);
        Assert.DoesNotContain(0, seen);
        Assert.Equal(0, engine.HeldCount);
    }

    [Fact]
    public void Wrapping_identifiers_skip_one_still_held()
    {
        var h = new EngineHarness(o => o.KeepAliveMs = 0);
        h.Connect();
        SessionEngine engine = h.Engine;
        OutboundMessage holder = h.Publish("held", 1);
        Assert.Equal(1, holder.PacketId);
        int last = 0;
        for (int i = 0; i < 65_535; i++)
        {
            var message = new OutboundMessage("t", [1], 1, false, null!);
            engine.Publish(message, h.Now);
            last = message.PacketId;
            Assert.NotEqual(1, last);
            engine.HandlePubAck(engine.Link, last, h.Now);
            while (engine.PollAction(out _) || engine.PollEvent(out _))
            {
            }
        }

        Assert.Equal(2, last); // 2..65535, then 1 is held, so 2 again
        Assert.Equal(1, holder.PacketId);
    }

    [Fact]
    public void Cancel_before_the_first_send_withdraws_the_message()
    {
        var h = new EngineHarness();
        OutboundMessage message = h.Publish("t", 1);
        h.Do((e, now) => e.CancelPublish(message, now));
        Assert.Equal(EventKind.PublishCancelled, Assert.Single(h.TerminalEventsFor(message.Caller)).Kind);
        Assert.Equal(PublishState.Withdrawn, message.State);
        Assert.Equal(0, h.Engine.HeldCount);
        h.Connect();
        Assert.Empty(h.SendsOf(message));
    }

    [Fact]
    public void Cancel_of_a_message_held_back_by_the_window_withdraws_it_and_lets_the_next_go()
    {
        var h = new EngineHarness(o => o.MaxInflight = 1);
        h.Connect();
        OutboundMessage a = h.Publish("a", 1);
        OutboundMessage b = h.Publish("b", 1);
        OutboundMessage c = h.Publish("c", 1);
        h.Do((e, now) => e.CancelPublish(b, now));
        Assert.Equal(PublishState.Withdrawn, b.State);
        h.Do((e, now) => e.HandlePubAck(e.Link, a.PacketId, now));
        Assert.Empty(h.SendsOf(b));
        Assert.Single(h.SendsOf(c));
    }

    [Fact]
    public void Cancel_after_the_first_send_detaches_the_caller_and_keeps_the_message_until_PUBACK()
    {
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        OutboundMessage message = h.Publish("t", 1);
        h.Do((e, now) => e.CancelPublish(message, now));
        Assert.Equal(EventKind.PublishCancelled, Assert.Single(h.TerminalEventsFor(message.Caller)).Kind);
        Assert.True(message.CallerDetached);
        Assert.Equal(1, h.Engine.HeldCount);

        h.LinkError();
        h.Reconnect(sessionPresent: true);
        Assert.Equal(2, h.SendsOf(message).Count);
        h.Do((e, now) => e.HandlePubAck(e.Link, message.PacketId, now));
        Assert.Equal(0, h.Engine.HeldCount);
        Assert.Single(h.TerminalEventsFor(message.Caller));
        Assert.Equal(1, h.Engine.Statistics.Acknowledged);
    }

    [Fact]
    public void Cancelling_twice_after_the_first_send_tells_the_caller_once()
    {
        var h = new EngineHarness();
        h.Connect();
        OutboundMessage message = h.Publish("t", 1);
        h.Do((e, now) => e.CancelPublish(message, now));
        h.Do((e, now) => e.CancelPublish(message, now));
        Assert.Single(h.TerminalEventsFor(message.Caller));
    }

    [Fact]
    public void Dispose_after_a_cancel_does_not_tell_the_detached_caller_again()
    {
        var h = new EngineHarness();
        h.Connect();
        OutboundMessage message = h.Publish("t", 1);
        h.Do((e, now) => e.CancelPublish(message, now));
        h.Do((e, now) => e.Dispose(now));
        Assert.Equal(EventKind.PublishCancelled, Assert.Single(h.TerminalEventsFor(message.Caller)).Kind);
        Assert.Equal(0, h.Engine.HeldCount);
    }

    [Fact]
    public void A_message_of_another_engine_or_already_completed_is_not_cancelled()
    {
        var h = new EngineHarness();
        h.Connect();
        OutboundMessage message = h.Publish("t", 1);
        h.Do((e, now) => e.HandlePubAck(e.Link, message.PacketId, now));
        h.Do((e, now) => e.CancelPublish(message, now));
        Assert.Single(h.TerminalEventsFor(message.Caller));

        var other = new EngineHarness();
        OutboundMessage foreign = other.Publish("t", 1);
        h.Do((e, now) => e.CancelPublish(foreign, now));
        Assert.Equal(PublishState.Queued, foreign.State);
        Assert.Empty(h.TerminalEventsFor(foreign.Caller));
    }

    [Fact]
    public void Publishing_above_QoS2_or_below_QoS0_is_refused_by_the_engine()
    {
        var h = new EngineHarness();
        Assert.Throws<ArgumentException>(() => h.Engine.Publish(new OutboundMessage("t", [1], 3, false, new object()), 0));
        Assert.Throws<ArgumentException>(() => h.Engine.Publish(new OutboundMessage("t", [1], -1, false, new object()), 0));
    }
}
