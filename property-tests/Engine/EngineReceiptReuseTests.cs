using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Engine;

/// <summary>
/// A held inbound QoS 2 identifier given to a new message (Receipt rows with guard NewMessage): the broker made a new session
/// the client could not see (its CONNACK was lost), so a PUBLISH with a held identifier may be a new message, not a re-send.
/// Found by the model checker with two inbound QoS 2 messages (docs/verification.md).
/// </summary>
public sealed class EngineReceiptReuseTests
{
    /// <summary>
    /// The model checker's case: message 0 is held when the broker loses its session; a CONNECT's CONNACK (session present 0)
    /// is lost, so the next CONNACK's "present" is the new session's; the broker's first send (DUP = 0) of its message 1
    /// reuses identifier 7. Taken for a re-send of message 0, it was never delivered (I1).
    /// </summary>
    [Fact]
    public void A_first_send_that_reuses_a_held_identifier_after_a_session_in_doubt_is_delivered()
    {
        var h = InDoubtWithReceipt(takeFirst: true);
        int mark = h.Mark();
        h.Receive("q2", 2, packetId: 7, dup: false); // same content even: DUP = 0 says it is a first send
        Assert.Equal(2, h.Engine.Statistics.Received);
        Assert.Empty(h.SentSince(mark)); // no PUBREC for the forgotten exchange: the new one waits for the application
        Assert.Equal("q2", h.Take()!.Topic);
        Assert.Equal([PacketKind.PubRec], h.SentKindsSince(mark));
        h.Do((e, now) => e.HandlePubRel(e.Link, 7, now));
        Assert.Equal([PacketKind.PubRec, PacketKind.PubComp], h.SentKindsSince(mark));
        Assert.False(h.Engine.HoldsReceipt(7));
    }

    /// <summary>
    /// The checker's deeper case: the new session's message 1 was first sent on a link that died before it arrived, so it
    /// comes with DUP = 1; its other topic or payload says it is not message 0 again [MQTT-4.3.3].
    /// </summary>
    [Fact]
    public void A_redelivery_with_other_content_under_a_held_identifier_is_a_new_message()
    {
        var h = InDoubtWithReceipt(takeFirst: true);
        int mark = h.Mark();
        h.Receive("q2", 2, packetId: 7, dup: true, payload: [9, 9]);
        Assert.Equal(2, h.Engine.Statistics.Received);
        InboundMessage? fresh = h.Take();
        Assert.Equal([9, 9], fresh!.Payload);
        Assert.Equal([PacketKind.PubRec], h.SentKindsSince(mark));
    }

    /// <summary>The same content with DUP = 1 after the doubt is taken for a re-send: answered, not delivered again (I9).</summary>
    [Fact]
    public void A_redelivery_with_the_same_content_after_a_session_in_doubt_is_not_delivered_again()
    {
        var h = InDoubtWithReceipt(takeFirst: true);
        int mark = h.Mark();
        h.Receive("q2", 2, packetId: 7, dup: true);
        Assert.Equal(1, h.Engine.Statistics.Received);
        Assert.Equal([PacketKind.PubRec], h.SentKindsSince(mark));
    }

    /// <summary>
    /// The superseded message, still queued, is delivered and never acknowledged: taking it must not answer PUBREC for the
    /// identifier the new message holds now, or the broker would count the new one delivered before the application has it.
    /// </summary>
    [Fact]
    public void A_superseded_message_still_queued_is_delivered_without_acknowledging_the_new_one()
    {
        var h = InDoubtWithReceipt(takeFirst: false);
        int mark = h.Mark();
        h.Receive("other", 2, packetId: 7, dup: false);
        Assert.Equal(2, h.Engine.UndeliveredCount);
        Assert.Equal("q2", h.Take()!.Topic);
        Assert.Empty(h.SentSince(mark));
        Assert.Equal("other", h.Take()!.Topic);
        EngineAction rec = Assert.Single(h.SentSince(mark));
        Assert.Equal(PacketKind.PubRec, rec.Packet);
        Assert.Equal(7, rec.PacketId);
    }

    /// <summary>Without a doubt about the session, a second copy with DUP = 0 and the same content is the broker's slip: not delivered again.</summary>
    [Fact]
    public void A_second_first_send_of_the_same_message_in_a_trusted_session_is_not_delivered_again()
    {
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        h.Receive("q2", 2, packetId: 7);
        h.Take();
        int mark = h.Mark();
        h.Receive("q2", 2, packetId: 7, dup: false);
        Assert.Equal(1, h.Engine.Statistics.Received);
        Assert.Equal([PacketKind.PubRec], h.SentKindsSince(mark));
    }

    /// <summary>Other content under a held identifier is a new message even in a trusted session: delivering it loses nothing and duplicates nothing.</summary>
    [Fact]
    public void Other_content_under_a_held_identifier_in_a_trusted_session_is_delivered()
    {
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        h.Receive("q2", 2, packetId: 7);
        h.Take();
        h.Receive("next", 2, packetId: 7, dup: false);
        Assert.Equal("next", h.Take()!.Topic);
    }

    /// <summary>A too-large first send that reuses a held identifier after the doubt is counted, and acknowledged as a new message.</summary>
    [Fact]
    public void An_oversized_first_send_that_reuses_a_held_identifier_after_a_session_in_doubt_is_counted_and_acknowledged()
    {
        var h = InDoubtWithReceipt(takeFirst: true);
        int mark = h.Mark();
        h.ReceiveOversized("big", 2, packetId: 7, dup: false);
        Assert.Equal(1, h.Engine.Statistics.DroppedOversized);
        Assert.Equal([PacketKind.PubRec], h.SentKindsSince(mark));
    }

    /// <summary>
    /// Message "q2" with identifier 7 received (and, if <paramref name="takeFirst"/>, taken, its PUBREC lost with the link);
    /// then a CONNECT that never got its CONNACK, and a reconnect whose CONNACK says session present: the receipt is kept
    /// through a session in doubt.
    /// </summary>
    private static EngineHarness InDoubtWithReceipt(bool takeFirst)
    {
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        h.Receive("q2", 2, packetId: 7);
        if (takeFirst)
        {
            Assert.Equal("q2", h.Take()!.Topic);
        }

        h.LinkError();
        h.Advance(h.Engine.PollTimeout() - h.Now);
        h.Open();
        h.Advance(h.Options.ResponseTimeMs); // CONNECT sent, never answered: the session is in doubt
        h.Reconnect(sessionPresent: true);
        Assert.True(h.Engine.HoldsReceipt(7));
        return h;
    }
}
