using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Engine;

/// <summary>
/// A request acknowledged later supersedes an earlier, unanswered one for the same filter: the broker takes a link's
/// packets in order, so the earlier one was applied and only its acknowledgement was lost. Re-sending it after a reconnect
/// would undo the later one (found by the device client's fault schedules: I8).
/// </summary>
public sealed class SupersededRequestTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_lost_UNSUBACK_does_not_undo_a_later_acknowledged_SUBSCRIBE_after_a_reconnect(bool sessionPresent)
    {
        var h = new EngineHarness(o => o.CleanSession = !sessionPresent);
        h.Connect();
        object unsubscriber = new();
        h.Do((e, now) => e.Request(SubscriptionRequest.Unsubscribe(["f"], unsubscriber), now));
        h.Do((e, now) => e.Request(SubscriptionRequest.Subscribe(["f"], [1], new object()), now));
        EngineAction subscribe = h.Sent.Last(a => a.Packet == PacketKind.Subscribe);
        h.Do((e, now) => e.HandleSubAck(e.Link, subscribe.PacketId, [1], now)); // its UNSUBACK was lost
        Assert.Contains(h.EventsFor(unsubscriber), e => e.Kind == EventKind.RequestCompleted);

        h.Advance(h.Options.ResponseTimeMs); // nothing overdue: the UNSUBSCRIBE was answered, in effect
        int before = h.Sent.Count();
        h.Do((e, now) => e.HandleLinkError(e.Link, (int)SocketErrorCode.ConnectionReset, "reset", now));
        h.Advance(h.Options.BackoffMaximumMs);
        h.Do((e, now) => e.HandleLinkOpened(h.LastOpened, now));
        h.Do((e, now) => e.HandleConnAck(e.Link, sessionPresent, 0, now));

        Assert.DoesNotContain(h.Sent.Skip(before), a => a.Packet == PacketKind.Unsubscribe);
        Assert.Equal(["f"], h.Engine.SnapshotSubscriptions().Select(s => s.Filter));
    }

    [Fact]
    public void An_answer_for_other_filters_leaves_an_earlier_request_of_the_other_kind_alone()
    {
        // Nothing of the SUBSCRIBE is superseded by an UNSUBSCRIBE of another filter: it keeps its identifier, is not sent
        // again, and its own SUBACK still completes it.
        var h = new EngineHarness();
        h.Connect();
        object subscriber = new();
        h.Do((e, now) => e.Request(SubscriptionRequest.Subscribe(["a"], [1], subscriber), now));
        EngineAction subscribe = h.Sent.Last(a => a.Packet == PacketKind.Subscribe);
        h.Do((e, now) => e.Request(SubscriptionRequest.Unsubscribe(["b"], new object()), now));
        EngineAction unsubscribe = h.Sent.Last(a => a.Packet == PacketKind.Unsubscribe);
        int before = h.Sent.Count();

        h.Do((e, now) => e.HandleUnsubAck(e.Link, unsubscribe.PacketId, now));

        Assert.DoesNotContain(h.Sent.Skip(before), a => a.Packet == PacketKind.Subscribe);
        h.Do((e, now) => e.HandleSubAck(e.Link, subscribe.PacketId, [1], now));
        Assert.Contains(h.EventsFor(subscriber), e => e.Kind == EventKind.RequestCompleted);
    }

    [Fact]
    public void An_unanswered_restore_loses_only_the_filter_a_later_UNSUBSCRIBE_took_and_goes_again()
    {
        var h = new EngineHarness();
        h.Connect();
        h.Do((e, now) => e.Request(SubscriptionRequest.Subscribe(["f", "g"], [1, 0], new object()), now));
        EngineAction first = h.Sent.Last(a => a.Packet == PacketKind.Subscribe);
        h.Do((e, now) => e.HandleSubAck(e.Link, first.PacketId, [1, 0], now));
        h.Do((e, now) => e.HandleLinkError(e.Link, (int)SocketErrorCode.ConnectionReset, "reset", now));
        h.Advance(h.Options.BackoffMaximumMs);
        h.Do((e, now) => e.HandleLinkOpened(h.LastOpened, now));
        h.Do((e, now) => e.HandleConnAck(e.Link, false, 0, now)); // new session: one restore SUBSCRIBE for f and g
        EngineAction restore = h.Sent.Last(a => a.Packet == PacketKind.Subscribe);
        Assert.Equal(["f", "g"], restore.Request.Filters);

        h.Do((e, now) => e.Request(SubscriptionRequest.Unsubscribe(["f"], new object()), now));
        EngineAction unsubscribe = h.Sent.Last(a => a.Packet == PacketKind.Unsubscribe);
        h.Do((e, now) => e.HandleUnsubAck(e.Link, unsubscribe.PacketId, now)); // the restore's SUBACK was lost

        EngineAction again = h.Sent.Last(a => a.Packet == PacketKind.Subscribe);
        Assert.NotEqual(restore.PacketId, again.PacketId);
        Assert.Equal(["g"], again.Request.Filters);
        Assert.Equal([0], again.Request.Qos);
        h.Do((e, now) => e.HandleSubAck(e.Link, again.PacketId, [0], now));
        Assert.Equal(["g"], h.Engine.SnapshotSubscriptions().Select(s => s.Filter));
        h.Do((e, now) => e.HandleSubAck(e.Link, restore.PacketId, [1, 0], now)); // a late SUBACK for the old identifier
        Assert.Equal(ConnectionState.Connected, h.Engine.State);
        Assert.Equal(0, h.Engine.Statistics.SendsRefused);
    }

    [Fact]
    public void A_lost_SUBACK_does_not_undo_a_later_acknowledged_UNSUBSCRIBE_after_a_reconnect()
    {
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        object subscriber = new();
        h.Do((e, now) => e.Request(SubscriptionRequest.Subscribe(["f"], [1], subscriber), now));
        h.Do((e, now) => e.Request(SubscriptionRequest.Unsubscribe(["f"], new object()), now));
        EngineAction unsubscribe = h.Sent.Last(a => a.Packet == PacketKind.Unsubscribe);
        h.Do((e, now) => e.HandleUnsubAck(e.Link, unsubscribe.PacketId, now)); // the SUBACK was lost
        int before = h.Sent.Count();
        h.Do((e, now) => e.HandleLinkError(e.Link, (int)SocketErrorCode.ConnectionReset, "reset", now));
        h.Advance(h.Options.BackoffMaximumMs);
        h.Do((e, now) => e.HandleLinkOpened(h.LastOpened, now));
        h.Do((e, now) => e.HandleConnAck(e.Link, true, 0, now));

        Assert.DoesNotContain(h.Sent.Skip(before), a => a.Packet == PacketKind.Subscribe);
        Assert.Empty(h.Engine.SnapshotSubscriptions());
        Assert.Contains(h.EventsFor(subscriber), e => e.Kind == EventKind.RequestCompleted);
    }
}
