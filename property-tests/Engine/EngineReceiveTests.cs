using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Engine;

/// <summary>Received messages: acknowledged when taken on the link they came on, reading paused at the bound, QoS 2 exactly once (I9, I10).</summary>
public sealed class EngineReceiveTests
{
    [Fact]
    public void QoS1_is_acknowledged_only_when_the_application_takes_it()
    {
        var h = new EngineHarness();
        h.Connect();
        int mark = h.Mark();
        h.Receive("in", 1, packetId: 5);
        Assert.Empty(h.SentSince(mark));
        Assert.True(h.Engine.HasMessage);

        InboundMessage? message = h.Take();
        Assert.NotNull(message);
        Assert.Equal("in", message.Topic);
        Assert.Equal(5, message.PacketId);
        EngineAction ack = Assert.Single(h.SentSince(mark));
        Assert.Equal(PacketKind.PubAck, ack.Packet);
        Assert.Equal(5, ack.PacketId);
        Assert.Equal(h.Engine.Link, ack.Link);
        Assert.Null(h.Take());
    }

    [Fact]
    public void QoS0_is_never_acknowledged_and_QoS2_answers_PUBREC_when_taken()
    {
        var h = new EngineHarness();
        h.Connect();
        int mark = h.Mark();
        h.Receive("a", 0);
        h.Receive("b", 2, packetId: 6);
        Assert.Empty(h.SentSince(mark));
        h.Take();
        Assert.Empty(h.SentSince(mark));
        h.Take();
        EngineAction rec = Assert.Single(h.SentSince(mark));
        Assert.Equal(PacketKind.PubRec, rec.Packet);
        Assert.Equal(6, rec.PacketId);
    }

    [Fact]
    public void A_message_taken_after_its_link_was_lost_is_not_acknowledged_on_the_next_link()
    {
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        h.Receive("in", 1, packetId: 5);
        h.Receive("in", 2, packetId: 6);
        h.LoseAndReconnect(sessionPresent: true);
        int mark = h.Mark();
        Assert.NotNull(h.Take());
        Assert.NotNull(h.Take());
        Assert.Empty(h.SentSince(mark));
        Assert.Equal(0, h.Engine.Statistics.SendsRefused);
    }

    [Fact]
    public void Messages_are_handed_over_in_the_order_they_arrived()
    {
        var h = new EngineHarness();
        h.Connect();
        for (int i = 0; i < 40; i++)
        {
            h.Receive("t" + i, i % 3, packetId: i % 3 == 0 ? 0 : i + 1);
        }

        for (int i = 0; i < 40; i++)
        {
            Assert.Equal("t" + i, h.Take()!.Topic);
        }
    }

    [Fact]
    public void Reading_pauses_at_the_receive_queue_length_and_resumes_once_a_message_is_taken()
    {
        var h = new EngineHarness(o => o.ReceiveQueueLength = 3);
        h.Connect();
        h.Receive("a", 1, 1);
        h.Receive("b", 1, 2);
        Assert.True(h.Engine.WantsToRead);
        h.Receive("c", 1, 3);
        Assert.False(h.Engine.WantsToRead);
        Assert.Equal(3, h.Engine.UndeliveredCount);

        h.Receive("d", 0); // already decoded by the driver: still queued, nothing is lost
        Assert.Equal(4, h.Engine.UndeliveredCount);
        h.Take();
        Assert.False(h.Engine.WantsToRead);
        h.Take();
        Assert.True(h.Engine.WantsToRead);
        Assert.Equal(0, h.Engine.Statistics.DroppedReceived);
    }

    [Fact]
    public void A_reconnect_while_the_application_is_behind_still_reads_its_CONNACK()
    {
        // Reading pauses for the application's queue, but a new link's CONNACK must be read, or the client would time out
        // and retry until the application took a message.
        var h = new EngineHarness(o => o.ReceiveQueueLength = 1);
        h.Connect();
        h.Receive("a", 1, 1);
        Assert.False(h.Engine.WantsToRead);
        h.Do((e, now) => e.HandleLinkClosed(e.Link, "end of stream", now));
        h.Advance(h.Options.BackoffMaximumMs);
        h.Do((e, now) => e.HandleLinkOpened(h.LastOpened, now));
        Assert.Equal(StateMachineMqtt.Spec.ConnectionState.AwaitingConnAck, h.Engine.State);
        Assert.True(h.Engine.WantsToRead);
        h.Do((e, now) => e.HandleConnAck(e.Link, false, 0, now));
        Assert.True(h.Engine.IsConnected);
        Assert.False(h.Engine.WantsToRead); // connected again: the queue is still full
    }

    [Fact]
    public void DropOldestQoS0_replaces_the_oldest_queued_QoS0_message_and_counts_it()
    {
        var h = new EngineHarness(o => { o.ReceiveQueueLength = 3; o.ReceiveOverflow = ReceiveOverflowPolicy.DropOldestQoS0; });
        h.Connect();
        h.Receive("q1", 1, 1);
        h.Receive("old", 0);
        h.Receive("new", 0);
        Assert.True(h.Engine.WantsToRead); // a QoS 0 message can make room
        h.Receive("newest", 0);
        Assert.Equal(3, h.Engine.UndeliveredCount);
        Assert.Equal(1, h.Engine.Statistics.DroppedReceived);
        Assert.Single(h.Events, e => e.Kind == EventKind.MessageDropped);
        Assert.Equal(["q1", "new", "newest"], [h.Take()!.Topic, h.Take()!.Topic, h.Take()!.Topic]);
    }

    [Fact]
    public void DropOldestQoS0_never_drops_QoS1_and_pauses_reading_when_no_QoS0_is_queued()
    {
        var h = new EngineHarness(o => { o.ReceiveQueueLength = 2; o.ReceiveOverflow = ReceiveOverflowPolicy.DropOldestQoS0; });
        h.Connect();
        h.Receive("a", 1, 1);
        h.Receive("b", 1, 2);
        Assert.False(h.Engine.WantsToRead);
        h.Receive("c", 0); // decoded before the pause took effect: kept
        Assert.Equal(3, h.Engine.UndeliveredCount);
        Assert.Equal(0, h.Engine.Statistics.DroppedReceived);
        Assert.Equal(["a", "b", "c"], [h.Take()!.Topic, h.Take()!.Topic, h.Take()!.Topic]);
    }

    [Fact]
    public void DropOldestQoS0_keeps_the_queue_bounded_whatever_QoS_arrives()
    {
        var h = new EngineHarness(o => { o.ReceiveQueueLength = 4; o.ReceiveOverflow = ReceiveOverflowPolicy.DropOldestQoS0; });
        h.Connect();
        int sentQos1 = 0;
        for (int i = 0; i < 50 && h.Engine.WantsToRead; i++)
        {
            int qos = i % 3 == 0 ? 1 : 0;
            sentQos1 += qos;
            h.Receive("t", qos, packetId: qos == 0 ? 0 : i + 1);
            Assert.InRange(h.Engine.UndeliveredCount, 0, 4);
        }

        int takenQos1 = 0;
        while (h.Take() is { } m)
        {
            takenQos1 += m.Qos;
        }

        Assert.Equal(sentQos1, takenQos1); // QoS 1 is never dropped
    }

    [Fact]
    public void QoS2_is_delivered_once_and_a_redelivery_is_acknowledged_again_once_PUBREC_went()
    {
        var h = new EngineHarness();
        h.Connect();
        h.Receive("q2", 2, packetId: 7);
        int mark = h.Mark();
        h.Receive("q2", 2, packetId: 7, dup: true); // before it was taken: no PUBREC yet, not delivered again
        Assert.Empty(h.SentSince(mark));
        Assert.Equal(1, h.Engine.UndeliveredCount);

        h.Take();
        Assert.Equal([PacketKind.PubRec], h.SentKindsSince(mark));
        h.Receive("q2", 2, packetId: 7, dup: true); // the PUBREC was lost: acknowledge again, do not deliver again
        Assert.Equal([PacketKind.PubRec, PacketKind.PubRec], h.SentKindsSince(mark));
        Assert.Equal(0, h.Engine.UndeliveredCount);

        h.Do((e, now) => e.HandlePubRel(e.Link, 7, now));
        EngineAction comp = h.SentSince(mark).Last();
        Assert.Equal(PacketKind.PubComp, comp.Packet);
        Assert.Equal(7, comp.PacketId);

        h.Receive("next", 2, packetId: 7); // the identifier was forgotten: a new message
        Assert.Equal("next", h.Take()!.Topic);
        Assert.Equal(2, h.Engine.Statistics.Received);
    }

    [Fact]
    public void A_PUBREL_repeated_after_a_reconnect_is_answered_again()
    {
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        h.Receive("q2", 2, packetId: 7);
        h.Take();
        h.Do((e, now) => e.HandlePubRel(e.Link, 7, now));
        h.LoseAndReconnect(sessionPresent: true);
        int mark = h.Mark();
        h.Do((e, now) => e.HandlePubRel(e.Link, 7, now)); // our PUBCOMP was lost
        Assert.Equal([PacketKind.PubComp], h.SentKindsSince(mark));
    }

    [Fact]
    public void QoS2_receipts_are_kept_when_the_session_is_present()
    {
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        h.Receive("q2", 2, packetId: 7);
        h.Take();
        h.LoseAndReconnect(sessionPresent: true);
        int mark = h.Mark();
        h.Receive("q2", 2, packetId: 7, dup: true);
        Assert.Equal(0, h.Engine.UndeliveredCount);
        Assert.Equal([PacketKind.PubRec], h.SentKindsSince(mark));
    }

    /// <summary>
    /// A CONNECT lost its CONNACK, so the engine doubts the next "session present" and restores its subscriptions; but the
    /// broker said the session is there, so it re-sends with DUP what it kept: the receipt must stay, or the message is
    /// delivered twice (I9). Only Session Present 0 forgets receipts (found by the model checker's inbound QoS 2 model).
    /// </summary>
    [Fact]
    public void QoS2_receipts_are_kept_when_a_present_session_is_in_doubt()
    {
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        h.Subscribe("s");
        h.Do((e, now) => e.HandleSubAck(e.Link, h.LastRequestSent.PacketId, [1], now));
        h.Receive("q2", 2, packetId: 7);
        Assert.Equal("q2", h.Take()!.Topic); // PUBREC goes; the link dies before it reaches the broker
        h.LinkError();
        h.Advance(h.Engine.PollTimeout() - h.Now);
        h.Open();
        h.Advance(h.Options.ResponseTimeMs); // CONNECT sent, never answered: the session is in doubt
        int reconnect = h.Mark();
        h.Reconnect(sessionPresent: true);
        Assert.Contains(PacketKind.Subscribe, h.SentKindsSince(reconnect)); // in doubt: the subscriptions are restored
        int mark = h.Mark();
        h.Receive("q2", 2, packetId: 7, dup: true); // the broker kept the session and re-sends
        Assert.Equal(0, h.Engine.UndeliveredCount);
        Assert.Equal(1, h.Engine.Statistics.Received);
        Assert.Equal([PacketKind.PubRec], h.SentKindsSince(mark));
        h.Do((e, now) => e.HandlePubRel(e.Link, 7, now));
        Assert.Equal([PacketKind.PubRec, PacketKind.PubComp], h.SentKindsSince(mark));
    }

    [Fact]
    public void QoS2_receipts_are_cleared_when_the_session_is_not_present()
    {
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        h.Receive("q2", 2, packetId: 7);
        h.Take();
        h.LoseAndReconnect(sessionPresent: false);
        h.Receive("fresh", 2, packetId: 7); // a new session's message that happens to reuse 7
        Assert.Equal("fresh", h.Take()!.Topic);
    }

    [Fact]
    public void A_QoS2_message_of_a_lost_session_taken_late_does_not_shadow_the_new_sessions_identifier()
    {
        // Received in session A, not yet taken when session B starts (not present): taking it must not plant a receipt in
        // session B, or B's own message 7 would be taken for a re-delivery and never delivered (I9).
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        h.Receive("old", 2, packetId: 7);
        h.LoseAndReconnect(sessionPresent: false);
        Assert.Equal("old", h.Take()!.Topic);
        h.Receive("fresh", 2, packetId: 7);
        InboundMessage? fresh = h.Take();
        Assert.NotNull(fresh);
        Assert.Equal("fresh", fresh.Topic);
    }

    [Fact]
    public void A_QoS2_redelivery_on_a_new_link_while_the_first_copy_is_still_queued_is_acknowledged_when_taken()
    {
        // The session is present: the broker re-sends 7 on the new link. The first copy is still in the application's
        // queue, so the redelivery is not delivered; when the copy is taken its PUBREC must go on the current link, which
        // is the only place the broker can still hear it.
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        h.Receive("q2", 2, packetId: 7);
        h.LoseAndReconnect(sessionPresent: true);
        h.Receive("q2", 2, packetId: 7, dup: true);
        Assert.Equal(1, h.Engine.UndeliveredCount);
        int mark = h.Mark();
        h.Take();
        EngineAction rec = Assert.Single(h.SentSince(mark));
        Assert.Equal(PacketKind.PubRec, rec.Packet);
        Assert.Equal(h.Engine.Link, rec.Link);
        Assert.Equal(0, h.Engine.UndeliveredCount);
    }

    [Fact]
    public void QoS1_redeliveries_are_delivered_again_at_least_once()
    {
        var h = new EngineHarness();
        h.Connect();
        h.Receive("q1", 1, packetId: 4);
        h.Receive("q1", 1, packetId: 4, dup: true);
        Assert.Equal(2, h.Engine.UndeliveredCount);
    }

    [Fact]
    public void PUBREC_and_PUBCOMP_from_the_broker_answer_nothing_and_are_counted()
    {
        var h = new EngineHarness();
        h.Connect();
        h.Do((e, now) => e.HandlePubRec(e.Link, 3, now));
        h.Do((e, now) => e.HandlePubComp(e.Link, 3, now));
        Assert.Equal(2, h.Engine.Statistics.PacketsIgnored);
        Assert.True(h.Engine.IsConnected);
    }
}
