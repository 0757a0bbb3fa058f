using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Engine;

/// <summary>The bounded outbound queue and its policies (I10): Wait, Reject, DropOldestQoS0, the byte bound.</summary>
public sealed class EngineFlowControlTests
{
    private static OutboundMessage Message(int qos, int bytes = 1) => new("t", new byte[bytes], qos, false, new object());

    [Fact]
    public void Wait_answers_Wait_at_the_bound_then_RoomAvailable_once_a_message_completes()
    {
        var h = new EngineHarness(o => { o.MaxQueuedMessages = 2; o.OutboundOverflow = OutboundOverflowPolicy.Wait; });
        h.Connect();
        OutboundMessage a = h.Publish("t", 1);
        h.Publish("t", 1);
        OutboundMessage waiting = Message(1);
        Assert.Equal(AdmitVerdict.Wait, h.Offer(waiting));
        Assert.Equal(2, h.Engine.HeldCount);
        Assert.DoesNotContain(h.Events, e => e.Kind == EventKind.RoomAvailable);
        Assert.Empty(h.TerminalEventsFor(waiting.Caller));

        h.Do((e, now) => e.HandlePubAck(e.Link, a.PacketId, now));
        Assert.Single(h.Events, e => e.Kind == EventKind.RoomAvailable);
        Assert.Equal(AdmitVerdict.Accept, h.Offer(waiting));
    }

    [Fact]
    public void RoomAvailable_follows_a_withdrawal_too_and_only_once_per_full_spell()
    {
        var h = new EngineHarness(o => o.MaxQueuedMessages = 2);
        OutboundMessage a = h.Publish("t", 1);
        OutboundMessage b = h.Publish("t", 1);
        Assert.Equal(AdmitVerdict.Wait, h.Offer(Message(1)));
        h.Do((e, now) => e.CancelPublish(a, now));
        h.Do((e, now) => e.CancelPublish(b, now));
        Assert.Single(h.Events, e => e.Kind == EventKind.RoomAvailable);
    }

    [Fact]
    public void Reject_refuses_at_the_bound_and_accepts_nothing()
    {
        var h = new EngineHarness(o => { o.MaxQueuedMessages = 1; o.OutboundOverflow = OutboundOverflowPolicy.Reject; });
        h.Publish("t", 0);
        OutboundMessage rejected = Message(1);
        Assert.Equal(AdmitVerdict.Reject, h.Offer(rejected));
        Assert.Equal(1, h.Engine.HeldCount);
        Assert.Equal(1, h.Engine.Statistics.Accepted);
        Assert.Empty(h.TerminalEventsFor(rejected.Caller));
    }

    [Fact]
    public void DropOldestQoS0_drops_the_oldest_queued_QoS0_counts_it_and_fails_its_caller()
    {
        var h = new EngineHarness(o => { o.MaxQueuedMessages = 3; o.OutboundOverflow = OutboundOverflowPolicy.DropOldestQoS0; });
        OutboundMessage q1 = h.Publish("t", 1);
        OutboundMessage oldest = h.Publish("t", 0);
        OutboundMessage newer = h.Publish("t", 0);
        OutboundMessage incoming = Message(1);
        Assert.Equal(AdmitVerdict.Accept, h.Offer(incoming));

        EngineEvent failed = Assert.Single(h.TerminalEventsFor(oldest.Caller));
        Assert.Equal(EventKind.PublishFailed, failed.Kind);
        Assert.Equal(FailureKind.QueueFull, failed.Failure);
        Assert.Contains(h.Events, e => e.Kind == EventKind.MessageDropped && ReferenceEquals(e.Caller, oldest.Caller));
        Assert.Equal(1, h.Engine.Statistics.DroppedOutbound);
        Assert.Equal([q1, newer, incoming], h.Engine.SnapshotHeld());
    }

    [Fact]
    public void DropOldestQoS0_never_drops_QoS1_and_waits_when_only_QoS1_is_queued()
    {
        var h = new EngineHarness(o => { o.MaxQueuedMessages = 2; o.OutboundOverflow = OutboundOverflowPolicy.DropOldestQoS0; });
        h.Publish("t", 1);
        h.Publish("t", 1);
        Assert.Equal(AdmitVerdict.Wait, h.Offer(Message(0)));
        Assert.Equal(AdmitVerdict.Wait, h.Offer(Message(1)));
        Assert.Equal(0, h.Engine.Statistics.DroppedOutbound);
        Assert.Equal(2, h.Engine.HeldCount);
    }

    [Fact]
    public void DropOldestQoS0_does_not_drop_a_QoS0_message_already_handed_to_the_link()
    {
        var h = new EngineHarness(o => { o.MaxQueuedMessages = 2; o.OutboundOverflow = OutboundOverflowPolicy.DropOldestQoS0; });
        h.Connect();
        OutboundMessage handed = h.Publish("t", 0); // sent, not yet written
        h.Publish("t", 1);
        Assert.Equal(AdmitVerdict.Wait, h.Offer(Message(0)));
        Assert.Empty(h.TerminalEventsFor(handed.Caller));
    }

    [Fact]
    public void The_byte_bound_makes_a_message_wait_that_would_exceed_it()
    {
        var h = new EngineHarness(o => { o.MaxQueuedBytes = 10; o.MaxQueuedMessages = 100; });
        h.Do((e, now) => Assert.Equal(AdmitVerdict.Accept, e.Publish(Message(1, 6), now)));
        Assert.Equal(AdmitVerdict.Accept, h.Offer(Message(1, 4))); // exactly the bound
        Assert.Equal(AdmitVerdict.Wait, h.Offer(Message(1, 1)));
        Assert.Equal(10, h.Engine.HeldBytes);
    }

    [Fact]
    public void An_empty_queue_admits_one_message_larger_than_the_byte_bound()
    {
        var h = new EngineHarness(o => { o.MaxQueuedBytes = 10; o.OutboundOverflow = OutboundOverflowPolicy.Reject; });
        OutboundMessage big = Message(1, 100);
        Assert.Equal(AdmitVerdict.Accept, h.Offer(big));
        Assert.Equal(AdmitVerdict.Reject, h.Offer(Message(1, 1)));
        h.Connect();
        h.Do((e, now) => e.HandlePubAck(e.Link, big.PacketId, now));
        Assert.Equal(AdmitVerdict.Accept, h.Offer(Message(1, 1)));
    }

    [Fact]
    public void The_bound_counts_messages_in_flight_as_well_as_queued()
    {
        var h = new EngineHarness(o => o.MaxQueuedMessages = 2);
        h.Connect();
        h.Publish("t", 1);
        h.Publish("t", 1);
        Assert.Equal(2, h.Engine.InFlightCount);
        Assert.Equal(AdmitVerdict.Wait, h.Offer(Message(1)));
    }

    [Fact]
    public void RoomAvailable_is_not_announced_while_the_byte_bound_is_still_reached()
    {
        var h = new EngineHarness(o => { o.MaxQueuedBytes = 10; o.MaxQueuedMessages = 100; });
        h.Connect();
        OutboundMessage small = h.Publish("t", 1, new byte[1]);
        h.Publish("t", 1, new byte[9]);
        Assert.Equal(AdmitVerdict.Wait, h.Offer(Message(1, 5)));
        h.Do((e, now) => e.HandlePubAck(e.Link, small.PacketId, now));
        // 9 of 10 bytes held: some room, so the waiting publish may try again (and wait again if it does not fit).
        Assert.Single(h.Events, e => e.Kind == EventKind.RoomAvailable);
        Assert.Equal(AdmitVerdict.Wait, h.Offer(Message(1, 5)));
    }
}
