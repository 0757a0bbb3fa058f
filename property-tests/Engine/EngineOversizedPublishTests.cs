using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Engine;

/// <summary>
/// A received PUBLISH over the driver's maximum packet size (issue 13, "no poison message"): counted, reported, acknowledged
/// as its QoS requires and in order of arrival [MQTT-4.6.0-2] — behind messages still queued, as a placeholder the
/// application never sees — and never delivered. Outbound, a PUBLISH over MaxOutboundPacketSize is refused before it is held.
/// </summary>
public sealed class EngineOversizedPublishTests
{
    private static List<(PacketKind Packet, int Id)> Acks(EngineHarness h, int mark) =>
        h.SentSince(mark).Select(a => (a.Packet, a.PacketId)).ToList();

    [Fact]
    public void QoS1_with_nothing_queued_is_acknowledged_at_once_counted_reported_and_not_delivered()
    {
        var h = new EngineHarness();
        h.Connect();
        int mark = h.Mark();
        int events = h.EventMark();

        h.ReceiveOversized("big/t", 1, packetId: 7, size: 2_000_000, limit: 1_048_576);

        Assert.Equal([(PacketKind.PubAck, 7)], Acks(h, mark));
        Assert.Equal(h.Engine.Link, h.SentSince(mark)[0].Link);
        Assert.False(h.Engine.HasMessage);
        Assert.Null(h.Engine.PeekMessage());
        Assert.Equal(0, h.Engine.UndeliveredCount);
        Assert.Equal(1, h.Engine.Statistics.DroppedOversized);
        Assert.Equal(0, h.Engine.Statistics.Received);
        EngineEvent e = Assert.Single(h.EventsSince(events));
        Assert.Equal(EventKind.MessageTooLarge, e.Kind);
        Assert.Equal("received PUBLISH to \"big/t\" (QoS 1, 2000000 bytes) dropped, not delivered: larger than the maximum packet size of 1048576 bytes; acknowledged, so the broker does not send it again", e.Reason);
        Assert.Null(e.Caller);
        Assert.True(h.Engine.IsConnected);
        Assert.Equal(0, h.Engine.Statistics.SendsRefused);
    }

    [Fact]
    public void QoS0_is_counted_and_reported_with_nothing_to_acknowledge_or_keep()
    {
        var h = new EngineHarness();
        h.Connect();
        h.Receive("a", 1, packetId: 1);
        int mark = h.Mark();
        int events = h.EventMark();

        h.ReceiveOversized("big/0", 0, size: 3_000, limit: 100);

        Assert.Empty(h.SentSince(mark));
        Assert.Equal(1, h.Engine.UndeliveredCount); // no placeholder: there is nothing to acknowledge
        Assert.Equal(1, h.Engine.Statistics.DroppedOversized);
        Assert.Equal("received PUBLISH to \"big/0\" (QoS 0, 3000 bytes) dropped, not delivered: larger than the maximum packet size of 100 bytes", Assert.Single(h.EventsSince(events)).Reason);
        Assert.Equal("a", h.Take()!.Topic);
        Assert.Equal([(PacketKind.PubAck, 1)], Acks(h, mark));
    }

    [Fact]
    public void Behind_queued_messages_its_acknowledgement_waits_its_turn_and_the_application_never_sees_it()
    {
        var h = new EngineHarness();
        h.Connect();
        int mark = h.Mark();
        h.Receive("m1", 1, packetId: 1);
        h.ReceiveOversized("big", 1, packetId: 2);
        h.ReceiveOversized("big", 2, packetId: 3);
        h.Receive("m4", 2, packetId: 4);
        h.ReceiveOversized("big", 1, packetId: 5);

        Assert.Empty(h.SentSince(mark)); // nothing is acknowledged before m1, which came first
        Assert.Equal(5, h.Engine.UndeliveredCount);
        Assert.Equal("m1", h.Engine.PeekMessage()!.Topic);

        Assert.Equal("m1", h.Take()!.Topic);
        Assert.Equal([(PacketKind.PubAck, 1), (PacketKind.PubAck, 2), (PacketKind.PubRec, 3)], Acks(h, mark));
        Assert.True(h.Engine.HasMessage);
        Assert.Equal("m4", h.Engine.PeekMessage()!.Topic);
        Assert.Equal(2, h.Engine.UndeliveredCount);

        Assert.Equal("m4", h.Take()!.Topic);
        Assert.Equal([(PacketKind.PubAck, 1), (PacketKind.PubAck, 2), (PacketKind.PubRec, 3), (PacketKind.PubRec, 4), (PacketKind.PubAck, 5)], Acks(h, mark));
        Assert.False(h.Engine.HasMessage);
        Assert.Null(h.Engine.PeekMessage());
        Assert.Null(h.Take());
        Assert.Equal(0, h.Engine.UndeliveredCount);
        Assert.Equal(3, h.Engine.Statistics.DroppedOversized);
        Assert.Equal(2, h.Engine.Statistics.Received);
    }

    [Fact]
    public void QoS2_is_answered_with_PUBREC_its_receipt_held_until_PUBREL_so_a_redelivery_is_not_counted_again()
    {
        var h = new EngineHarness();
        h.Connect();
        int mark = h.Mark();
        h.ReceiveOversized("big", 2, packetId: 9);
        h.ReceiveOversized("big", 2, packetId: 9, dup: true);
        Assert.Equal([(PacketKind.PubRec, 9), (PacketKind.PubRec, 9)], Acks(h, mark));
        Assert.Equal(1, h.Engine.Statistics.DroppedOversized);
        Assert.Single(h.Events, e => e.Kind == EventKind.MessageTooLarge);

        // A whole-sized copy under the same held identifier is a re-delivery too: never delivered (I9).
        h.Receive("big", 2, packetId: 9, dup: true);
        Assert.False(h.Engine.HasMessage);

        h.Do((e, now) => e.HandlePubRel(e.Link, 9, now));
        Assert.Equal(PacketKind.PubComp, h.SentKindsSince(mark).Last());

        // Released: the identifier is free, and the next PUBLISH under it is a new message.
        h.ReceiveOversized("big", 2, packetId: 9);
        Assert.Equal(2, h.Engine.Statistics.DroppedOversized);
    }

    [Fact]
    public void A_QoS2_redelivery_while_its_placeholder_is_queued_sends_nothing_more_and_its_PUBREC_goes_once_when_its_turn_comes()
    {
        var h = new EngineHarness();
        h.Connect();
        h.Receive("m1", 1, packetId: 1);
        h.ReceiveOversized("big", 2, packetId: 2);
        int mark = h.Mark();
        h.ReceiveOversized("big", 2, packetId: 2, dup: true);
        Assert.Empty(h.SentSince(mark));
        Assert.Equal(1, h.Engine.Statistics.DroppedOversized);
        Assert.Equal(2, h.Engine.UndeliveredCount);

        h.Take();
        Assert.Equal([(PacketKind.PubAck, 1), (PacketKind.PubRec, 2)], Acks(h, mark));
    }

    [Fact]
    public void A_QoS2_placeholder_from_a_lost_link_sends_its_PUBREC_on_the_link_of_its_redelivery()
    {
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        h.Receive("m1", 1, packetId: 1);
        h.ReceiveOversized("big", 2, packetId: 2);
        h.LoseAndReconnect(sessionPresent: true);
        int mark = h.Mark();
        h.ReceiveOversized("big", 2, packetId: 2, dup: true);
        Assert.Empty(h.SentSince(mark));

        h.Take(); // m1 came on the lost link: the broker re-sends it instead [MQTT-4.4.0-1]
        EngineAction rec = Assert.Single(h.SentSince(mark));
        Assert.Equal((PacketKind.PubRec, 2, h.Engine.Link), (rec.Packet, rec.PacketId, rec.Link));
        Assert.Equal(0, h.Engine.Statistics.SendsRefused);
    }

    [Fact]
    public void A_QoS1_placeholder_from_a_lost_link_is_not_acknowledged_on_the_next_one()
    {
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        h.Receive("m1", 1, packetId: 1);
        h.ReceiveOversized("big", 1, packetId: 2);
        h.LoseAndReconnect(sessionPresent: true);
        int mark = h.Mark();
        h.Take();
        Assert.Empty(h.SentSince(mark));
        Assert.Equal(0, h.Engine.UndeliveredCount);
        Assert.Equal(0, h.Engine.Statistics.SendsRefused);
    }

    [Fact]
    public void Placeholders_count_against_the_receive_queue_bound()
    {
        var h = new EngineHarness(o => o.ReceiveQueueLength = 2);
        h.Connect();
        h.Receive("m1", 1, packetId: 1);
        Assert.True(h.Engine.WantsToRead);
        h.ReceiveOversized("big", 1, packetId: 2);
        Assert.False(h.Engine.WantsToRead); // I10: the placeholder holds a place
        Assert.Equal(2, h.Engine.UndeliveredCount);

        h.Take();
        Assert.True(h.Engine.WantsToRead);
        Assert.Equal(0, h.Engine.UndeliveredCount);
    }

    [Fact]
    public void A_placeholder_that_fills_the_queue_pauses_reading_and_the_pause_is_not_silence()
    {
        var h = new EngineHarness(o => o.ReceiveQueueLength = 2);
        h.Connect();
        h.Receive("m1", 1, packetId: 1);
        h.ReceiveOversized("big", 1, packetId: 2);
        Assert.False(h.Engine.WantsToRead);

        h.Advance(3 * h.Options.KeepAliveMs); // I5: time the client itself stopped reading does not count
        Assert.True(h.Engine.IsConnected);
        h.Take();
        Assert.True(h.Engine.WantsToRead);
    }

    [Fact]
    public void A_placeholder_keeps_the_header_it_was_given_and_says_it_is_one()
    {
        var h = new EngineHarness();
        h.Connect();
        h.Receive("m1", 1, packetId: 1);
        h.ReceiveOversized("big/t", 2, packetId: 4, dup: true);

        var sink = new PairSink();
        h.Engine.Fingerprint(sink);
        Assert.Equal(
            ["inbound=2", "topic=m1", "qos=1", "id=1", "dup=0", "retain=0", "bytes=1", "placeholder=0", "link=1",
             "topic=big/t", "qos=2", "id=4", "dup=1", "retain=0", "bytes=-1", "placeholder=1", "link=1"],
            sink.Pairs.SkipWhile(p => !p.StartsWith("inbound=", StringComparison.Ordinal)).Take(17));
    }

    private sealed class PairSink : IFingerprintSink
    {
        public List<string> Pairs { get; } = [];

        public void Add(string name, long value) => Pairs.Add(name + "=" + value.ToString(System.Globalization.CultureInfo.InvariantCulture));

        public void Add(string name, string value) => Pairs.Add(name + "=" + value);
    }

    [Fact]
    public void Under_DropOldestQoS0_a_full_queue_drops_its_oldest_QoS0_for_a_placeholder_and_acknowledges_what_reaches_the_head()
    {
        var h = new EngineHarness(o => { o.ReceiveQueueLength = 2; o.ReceiveOverflow = ReceiveOverflowPolicy.DropOldestQoS0; });
        h.Connect();
        int mark = h.Mark();
        h.Receive("q0a", 0);
        h.ReceiveOversized("big", 1, packetId: 2); // queued behind q0a: [q0a, big]
        Assert.Empty(h.SentSince(mark));

        h.Receive("q0b", 0); // full: q0a is dropped, the placeholder reaches the head and is acknowledged
        Assert.Equal([(PacketKind.PubAck, 2)], Acks(h, mark));
        Assert.Equal("q0b", h.Engine.PeekMessage()!.Topic);
        Assert.Equal(1, h.Engine.UndeliveredCount);
        Assert.Equal(1, h.Engine.Statistics.DroppedReceived);

        h.Receive("q0c", 0);
        h.ReceiveOversized("big", 1, packetId: 3); // full [q0b, q0c]: q0b dropped, then it waits behind q0c
        Assert.Equal([(PacketKind.PubAck, 2)], Acks(h, mark));
        Assert.Equal("q0c", h.Take()!.Topic);
        Assert.Equal([(PacketKind.PubAck, 2), (PacketKind.PubAck, 3)], Acks(h, mark));
        Assert.Equal(2, h.Engine.Statistics.DroppedReceived);
        Assert.Equal(2, h.Engine.Statistics.DroppedOversized);
    }

    [Fact]
    public void Before_CONNACK_it_is_a_protocol_violation_and_the_link_closes()
    {
        var h = new EngineHarness();
        h.Do((e, now) => e.Connect(new object(), now));
        h.Open();
        Assert.Equal(ConnectionState.AwaitingConnAck, h.Engine.State);
        h.ReceiveOversized("big", 1, packetId: 1);
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
        Assert.Equal(0, h.Engine.Statistics.DroppedOversized);
        Assert.DoesNotContain(h.Sent, a => a.Packet == PacketKind.PubAck);
    }

    [Fact]
    public void While_disconnecting_it_is_ignored_and_counted_as_ignored_not_acknowledged()
    {
        var h = new EngineHarness();
        h.Connect();
        h.Do((e, now) => e.Disconnect(new object(), now));
        int mark = h.Mark();
        h.ReceiveOversized("big", 1, packetId: 1);
        Assert.Empty(h.SentSince(mark));
        Assert.Equal(1, h.Engine.Statistics.PacketsIgnored);
        Assert.Equal(0, h.Engine.Statistics.DroppedOversized);
        Assert.Equal(ConnectionState.Disconnecting, h.Engine.State);
    }

    [Fact]
    public void On_a_stale_link_it_is_ignored_silently()
    {
        var h = new EngineHarness();
        h.Connect();
        int stale = h.Engine.Link;
        h.LinkError();
        h.Do((e, now) => e.HandleOversizedPublish(stale, "big", 1, false, 1, 5_000, 1_024, now));
        Assert.Equal(0, h.Engine.Statistics.DroppedOversized);
        Assert.Equal(0, h.Engine.Statistics.PacketsIgnored);
        Assert.DoesNotContain(h.Sent, a => a.Packet == PacketKind.PubAck);
    }

    [Fact]
    public void It_proves_the_link_alive_like_any_packet()
    {
        var h = new EngineHarness();
        h.Connect();
        h.Advance(h.Options.KeepAliveMs - 1);
        h.ReceiveOversized("big", 0);
        h.Advance(h.Options.KeepAliveMs - 1);
        Assert.True(h.Engine.IsConnected);
    }

    [Fact]
    public void Outbound_a_PUBLISH_over_the_limit_is_refused_before_it_is_held_and_one_at_the_limit_is_accepted()
    {
        // Topic "t" (1 byte) at QoS 1: 1 + 1 (length) + 2 + 1 + 2 + payload, up to 127 remaining bytes.
        var h = new EngineHarness(o => o.MaxOutboundPacketSize = 100);
        h.Connect();
        var fits = new OutboundMessage("t", new byte[93], 1, false, new object());
        var over = new OutboundMessage("t", new byte[94], 1, false, new object());
        Assert.Equal(100, SessionEngine.PublishPacketSize(fits));
        Assert.Equal(101, SessionEngine.PublishPacketSize(over));
        Assert.True(h.Engine.FitsOutbound(fits));
        Assert.False(h.Engine.FitsOutbound(over));

        int mark = h.Mark();
        int events = h.EventMark();
        Assert.Equal(AdmitVerdict.TooLarge, h.Offer(over));
        Assert.Equal(0, h.Engine.HeldCount);
        Assert.Empty(h.SentSince(mark));
        Assert.Empty(h.EventsSince(events));
        Assert.Equal(0, h.Engine.Statistics.Accepted);

        Assert.Equal(AdmitVerdict.Accept, h.Offer(fits));
        Assert.Equal(PacketKind.Publish, Assert.Single(h.SentSince(mark)).Packet);
    }

    [Fact]
    public void Outbound_the_size_counts_the_topic_in_UTF8_and_the_identifier_only_at_QoS1()
    {
        var h = new EngineHarness(o => o.MaxOutboundPacketSize = 10);
        // "é" is 2 UTF-8 bytes: QoS 0 takes 1 + 1 + 2 + 2 + 4 = 10, QoS 1 two more.
        Assert.True(h.Engine.FitsOutbound(new OutboundMessage("é", new byte[4], 0, false, null)));
        Assert.False(h.Engine.FitsOutbound(new OutboundMessage("é", new byte[4], 1, false, null)));
        Assert.False(h.Engine.FitsOutbound(new OutboundMessage("😀", new byte[3], 0, false, null))); // 4 bytes, not 2 chars
        Assert.True(h.Engine.FitsOutbound(new OutboundMessage("😀", new byte[2], 0, false, null)));
    }

    [Fact]
    public void Outbound_a_too_large_PUBLISH_is_refused_even_while_the_queue_is_full()
    {
        var h = new EngineHarness(o => { o.MaxOutboundPacketSize = 50; o.MaxQueuedMessages = 1; });
        h.Publish("t", 1);
        Assert.Equal(AdmitVerdict.TooLarge, h.Offer(new OutboundMessage("t", new byte[60], 1, false, new object())));
        Assert.Equal(AdmitVerdict.Wait, h.Offer(new OutboundMessage("t", new byte[1], 1, false, new object())));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_maximum_outbound_packet_size_below_the_smallest_PUBLISH_is_refused(int size)
    {
        var error = Assert.Throws<ArgumentException>(() => new EngineHarness(o => o.MaxOutboundPacketSize = size));
        Assert.Equal("MaxOutboundPacketSize must be at least 5 bytes (the smallest PUBLISH).", error.Message);
    }

    [Fact]
    public void The_default_outbound_limit_is_MQTTs_own_bound()
    {
        Assert.Equal(268_435_460, new EngineOptions().MaxOutboundPacketSize);
        _ = new EngineHarness(o => o.MaxOutboundPacketSize = 5); // the smallest PUBLISH is allowed
    }
}
