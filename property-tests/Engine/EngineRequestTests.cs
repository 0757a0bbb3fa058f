using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Engine;

/// <summary>SUBSCRIBE and UNSUBSCRIBE: sending, answers, refusals, restore after a new session (I8), time-outs and cancel.</summary>
public sealed class EngineRequestTests
{
    private static void SubAck(EngineHarness h, SubscriptionRequest request, params byte[] codes) =>
        h.Do((e, now) => e.HandleSubAck(e.Link, request.PacketId, codes, now));

    [Fact]
    public void A_SUBSCRIBE_is_sent_once_connected_and_its_SUBACK_grants_it()
    {
        var h = new EngineHarness();
        SubscriptionRequest request = h.Subscribe("a/+", 2);
        Assert.Empty(h.Sent);
        Assert.Equal(0, request.PacketId);

        h.Connect();
        EngineAction sent = h.LastRequestSent;
        Assert.Equal(PacketKind.Subscribe, sent.Packet);
        Assert.Same(request, sent.Request);
        Assert.NotEqual(0, sent.PacketId);
        Assert.Equal(request.PacketId, sent.PacketId);

        SubAck(h, request, 1);
        EngineEvent done = Assert.Single(h.TerminalEventsFor(request.Caller));
        Assert.Equal(EventKind.RequestCompleted, done.Kind);
        Assert.Equal(1, done.Granted);
        Subscription subscription = Assert.Single(h.Engine.SnapshotSubscriptions());
        Assert.Equal("a/+", subscription.Filter);
        Assert.Equal(2, subscription.RequestedQos);
        Assert.Equal(1, subscription.GrantedQos);
    }

    [Fact]
    public void A_refused_subscription_fails_with_its_filter_and_is_not_restored()
    {
        var h = new EngineHarness();
        h.Connect();
        SubscriptionRequest request = h.Subscribe("forbidden/#");
        SubAck(h, request, 0x80);
        EngineEvent failed = Assert.Single(h.TerminalEventsFor(request.Caller));
        Assert.Equal(EventKind.RequestFailed, failed.Kind);
        Assert.Equal(FailureKind.SubscriptionRefused, failed.Failure);
        Assert.Equal("forbidden/#", failed.Filter);
        Assert.Empty(h.Engine.SnapshotSubscriptions());

        int mark = h.Mark();
        h.LoseAndReconnect(sessionPresent: false);
        Assert.DoesNotContain(PacketKind.Subscribe, h.SentKindsSince(mark));
    }

    [Theory]
    [InlineData(0x87)] // Not authorized
    [InlineData(0xA2)] // Wildcard Subscriptions not supported
    public void An_MQTT_5_SUBACK_code_from_0x80_refuses_the_subscription_with_that_code(int code)
    {
        // MQTT 5 refuses with any code from 0x80 [MQTT-3.9.3], not 0x80 alone: none of them is a granted QoS.
        var h = new EngineHarness(o => o.ProtocolVersion = MqttProtocolVersion.V500);
        h.Connect();
        SubscriptionRequest request = h.Subscribe("forbidden/#");
        SubAck(h, request, (byte)code);
        EngineEvent failed = Assert.Single(h.TerminalEventsFor(request.Caller));
        Assert.Equal((EventKind.RequestFailed, FailureKind.SubscriptionRefused, code), (failed.Kind, failed.Failure, failed.ReturnCode));
        Assert.Contains("SUBACK 0x" + code.ToString("X2", System.Globalization.CultureInfo.InvariantCulture), failed.Reason, StringComparison.Ordinal);
        Assert.Empty(h.Engine.SnapshotSubscriptions());

        int mark = h.Mark();
        h.LoseAndReconnect(sessionPresent: false);
        Assert.DoesNotContain(PacketKind.Subscribe, h.SentKindsSince(mark));
    }

    [Fact]
    public void A_refused_re_subscription_removes_the_earlier_grant()
    {
        var h = new EngineHarness();
        h.Connect();
        SubAck(h, h.Subscribe("a"), 1);
        SubAck(h, h.Subscribe("a", 2), 0x80);
        Assert.Empty(h.Engine.SnapshotSubscriptions());
    }

    [Fact]
    public void After_a_new_session_one_SUBSCRIBE_restores_every_filter_at_its_requested_QoS_before_queued_requests()
    {
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        SubAck(h, h.Subscribe("a", 1), 1);
        SubAck(h, h.Subscribe("b", 2), 0); // granted less: the restore asks for 2 again [MQTT-3.8.4-5]
        SubAck(h, h.Subscribe("c", 0), 0);
        h.LinkError();
        SubscriptionRequest queued = h.Subscribe("d", 1);
        OutboundMessage publish = h.Publish("t", 1);

        int mark = h.Mark();
        h.Reconnect(sessionPresent: false);
        List<EngineAction> sent = h.SentSince(mark);
        Assert.Equal([PacketKind.Connect, PacketKind.Subscribe, PacketKind.Subscribe, PacketKind.Publish], sent.Select(a => a.Packet));
        SubscriptionRequest restore = sent[1].Request;
        Assert.True(restore.IsRestore);
        Assert.Null(restore.Caller);
        Assert.Equal(["a", "b", "c"], restore.Filters);
        Assert.Equal([1, 2, 0], restore.Qos);
        Assert.Same(queued, sent[2].Request);
        Assert.Same(publish, sent[3].Message);
        Assert.NotEqual(sent[1].PacketId, sent[2].PacketId);

        SubAck(h, restore, 1, 2, 0);
        Assert.DoesNotContain(h.Events, e => e.Caller is null && e.Kind is EventKind.RequestCompleted or EventKind.RequestFailed);
        Assert.Equal(3, h.Engine.SnapshotSubscriptions().Length);
    }

    [Fact]
    public void A_refused_restore_is_reported_without_a_caller_and_drops_that_filter()
    {
        var h = new EngineHarness();
        h.Connect();
        SubAck(h, h.Subscribe("a"), 1);
        SubAck(h, h.Subscribe("b"), 1);
        h.LoseAndReconnect(sessionPresent: false);
        SubscriptionRequest restore = h.LastRequestSent.Request;
        SubAck(h, restore, 1, 0x80);
        EngineEvent failed = Assert.Single(h.Events, e => e.Kind == EventKind.RequestFailed);
        Assert.Null(failed.Caller);
        Assert.Equal("b", failed.Filter);
        Assert.Equal(["a"], h.Engine.SnapshotSubscriptions().Select(s => s.Filter));
    }

    [Fact]
    public void A_restore_lost_with_its_link_is_not_doubled_by_the_next_restore()
    {
        var h = new EngineHarness();
        h.Connect();
        SubAck(h, h.Subscribe("a"), 1);
        h.LoseAndReconnect(sessionPresent: false); // restore sent ...
        h.LinkError(); // ... and lost before its SUBACK
        int mark = h.Mark();
        h.Reconnect(sessionPresent: false);
        EngineAction restore = Assert.Single(h.SentSince(mark), a => a.Packet == PacketKind.Subscribe);
        Assert.Equal(["a"], restore.Request.Filters);
    }

    [Fact]
    public void A_restore_lost_with_its_link_is_sent_again_even_when_the_next_session_is_present()
    {
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        SubAck(h, h.Subscribe("a"), 1);
        h.LoseAndReconnect(sessionPresent: false);
        h.LinkError();
        int mark = h.Mark();
        h.Reconnect(sessionPresent: true);
        EngineAction restore = Assert.Single(h.SentSince(mark), a => a.Packet == PacketKind.Subscribe);
        Assert.True(restore.Request.IsRestore);
    }

    [Fact]
    public void An_UNSUBSCRIBE_stops_the_restore_at_once_and_completes_on_UNSUBACK()
    {
        var h = new EngineHarness();
        h.Connect();
        SubAck(h, h.Subscribe("a"), 1);
        SubAck(h, h.Subscribe("b"), 1);
        SubscriptionRequest request = h.Unsubscribe("a");
        Assert.Equal(["b"], h.Engine.SnapshotSubscriptions().Select(s => s.Filter));
        Assert.Equal(PacketKind.Unsubscribe, h.LastRequestSent.Packet);

        h.Do((e, now) => e.HandleUnsubAck(e.Link, request.PacketId, now));
        Assert.Equal(EventKind.RequestCompleted, Assert.Single(h.TerminalEventsFor(request.Caller)).Kind);
    }

    [Theory]
    [InlineData(0x87)] // Not authorized
    [InlineData(0x8F)] // Topic Filter invalid
    public void An_MQTT_5_UNSUBACK_code_from_0x80_fails_the_request_with_its_filter_and_code_and_the_filter_is_not_restored(int code)
    {
        var h = new EngineHarness(o => o.ProtocolVersion = MqttProtocolVersion.V500);
        h.Connect();
        SubAck(h, h.Subscribe("a"), 1);
        SubscriptionRequest request = h.Unsubscribe("a", caller: "me");
        h.Do((e, now) => e.HandleUnsubAck(e.Link, request.PacketId, [(byte)code], "not yours", now));

        EngineEvent failed = Assert.Single(h.TerminalEventsFor("me"));
        Assert.Equal((EventKind.RequestFailed, FailureKind.UnsubscribeRefused, code, "a"), (failed.Kind, failed.Failure, failed.ReturnCode, failed.Filter));
        Assert.Contains("UNSUBACK 0x" + code.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + "): not yours", failed.Reason, StringComparison.Ordinal);
        Assert.Empty(h.Engine.SnapshotSubscriptions());
        Assert.True(h.Engine.IsConnected); // a refusal is no protocol error

        int mark = h.Mark();
        h.LoseAndReconnect(sessionPresent: false);
        Assert.DoesNotContain(PacketKind.Subscribe, h.SentKindsSince(mark));
    }

    [Theory]
    [InlineData(0x00)] // Success
    [InlineData(0x11)] // No subscription existed: not a refusal [MQTT-3.11.3]
    public void An_MQTT_5_UNSUBACK_code_below_0x80_completes_the_request(int code)
    {
        var h = new EngineHarness(o => o.ProtocolVersion = MqttProtocolVersion.V500);
        h.Connect();
        SubscriptionRequest request = h.Unsubscribe("a", caller: "me");
        h.Do((e, now) => e.HandleUnsubAck(e.Link, request.PacketId, [(byte)code], null, now));
        Assert.Equal(EventKind.RequestCompleted, Assert.Single(h.TerminalEventsFor("me")).Kind);
        Assert.DoesNotContain(h.Events, e => e.Kind == EventKind.RequestFailed);
    }

    [Fact]
    public void An_MQTT_5_UNSUBACK_refusing_two_filters_reports_each_and_gives_the_caller_one_answer()
    {
        var h = new EngineHarness(o => o.ProtocolVersion = MqttProtocolVersion.V500);
        h.Connect();
        var request = SubscriptionRequest.Unsubscribe(["a", "b", "c"], "me");
        h.Do((e, now) => e.Request(request, now));
        h.Do((e, now) => e.HandleUnsubAck(e.Link, request.PacketId, [0x87, 0x00, 0x8F], null, now));

        List<EngineEvent> failures = [.. h.Events.Where(e => e.Kind == EventKind.RequestFailed)];
        Assert.Equal([("a", 0x87), ("c", 0x8F)], failures.Select(e => (e.Filter, e.ReturnCode)));
        Assert.Equal(["me", null], failures.Select(e => e.Caller));
        Assert.DoesNotContain(h.Events, e => e.Kind == EventKind.RequestCompleted);
    }

    [Fact]
    public void An_MQTT_5_UNSUBACK_with_the_wrong_number_of_codes_is_a_protocol_violation()
    {
        var h = new EngineHarness(o => o.ProtocolVersion = MqttProtocolVersion.V500);
        h.Connect();
        SubscriptionRequest request = h.Unsubscribe("a", caller: "me");
        h.Do((e, now) => e.HandleUnsubAck(e.Link, request.PacketId, [0x00, 0x00], null, now));
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
        Assert.Empty(h.TerminalEventsFor("me"));
    }

    [Fact]
    public void An_UNSUBSCRIBE_queued_while_offline_is_not_undone_by_the_restore()
    {
        var h = new EngineHarness();
        h.Connect();
        SubAck(h, h.Subscribe("a"), 1);
        h.LinkError();
        h.Unsubscribe("a");
        int mark = h.Mark();
        h.Reconnect(sessionPresent: false);
        Assert.Equal([PacketKind.Connect, PacketKind.Unsubscribe], h.SentKindsSince(mark));
    }

    [Fact]
    public void A_SUBACK_with_the_wrong_number_of_codes_is_a_protocol_violation()
    {
        var h = new EngineHarness();
        h.Connect();
        SubscriptionRequest request = h.Subscribe("a");
        SubAck(h, request, 1, 1);
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
        Assert.Empty(h.TerminalEventsFor(request.Caller));
        Assert.Empty(h.Engine.SnapshotSubscriptions());
    }

    [Fact]
    public void A_SUBACK_answering_an_UNSUBSCRIBE_or_an_UNSUBACK_answering_a_SUBSCRIBE_is_a_protocol_violation()
    {
        var h = new EngineHarness();
        h.Connect();
        SubscriptionRequest unsubscribe = h.Unsubscribe("a");
        SubAck(h, unsubscribe, 0);
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);

        h.Reconnect();
        SubscriptionRequest subscribe = h.Subscribe("b");
        h.Do((e, now) => e.HandleUnsubAck(e.Link, subscribe.PacketId, now));
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
    }

    [Fact]
    public void A_SUBACK_or_UNSUBACK_for_an_unknown_identifier_is_ignored_and_counted()
    {
        var h = new EngineHarness();
        h.Connect();
        h.Do((e, now) => e.HandleSubAck(e.Link, 77, [1], now));
        h.Do((e, now) => e.HandleUnsubAck(e.Link, 78, now));
        Assert.Equal(2, h.Engine.Statistics.PacketsIgnored);
        Assert.True(h.Engine.IsConnected);
    }

    [Fact]
    public void A_request_sent_on_a_lost_link_is_sent_again_with_a_fresh_identifier()
    {
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        h.Publish("t", 1); // holds an identifier across the reconnect
        SubscriptionRequest request = h.Subscribe("a");
        int first = request.PacketId;
        h.LinkError();
        Assert.Equal(0, request.PacketId);
        int mark = h.Mark();
        h.Reconnect(sessionPresent: true);
        EngineAction again = Assert.Single(h.SentSince(mark), a => a.Packet == PacketKind.Subscribe);
        Assert.Same(request, again.Request);
        Assert.NotEqual(0, again.PacketId);
        Assert.NotEqual(first, again.PacketId);

        // The old identifier answers nothing now.
        h.Do((e, now) => e.HandleSubAck(e.Link, first, [1], now));
        Assert.Empty(h.TerminalEventsFor(request.Caller));
        SubAck(h, request, 1);
        Assert.Single(h.TerminalEventsFor(request.Caller));
    }

    [Fact]
    public void An_overdue_SUBACK_closes_the_link_and_backs_off()
    {
        var h = new EngineHarness(o => o.KeepAliveMs = 0);
        h.Connect();
        SubscriptionRequest request = h.Subscribe("a");
        h.Advance(h.Options.ResponseTimeMs - 1);
        Assert.True(h.Engine.IsConnected);
        h.Advance(1);
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
        Assert.Contains(h.Events, e => e.Kind == EventKind.LinkDown && e.Reason.StartsWith("no acknowledgement", StringComparison.Ordinal));
        Assert.Empty(h.TerminalEventsFor(request.Caller));
    }

    [Fact]
    public void An_answered_request_no_longer_has_a_deadline()
    {
        var h = new EngineHarness(o => o.KeepAliveMs = 0);
        h.Connect();
        SubAck(h, h.Subscribe("a"), 1);
        Assert.Equal(SessionEngine.Never, h.Engine.PollTimeout());
        h.Advance(10 * h.Options.ResponseTimeMs);
        Assert.True(h.Engine.IsConnected);
    }

    [Fact]
    public void Cancel_before_send_withdraws_the_request()
    {
        var h = new EngineHarness();
        SubscriptionRequest request = h.Subscribe("a");
        h.Do((e, now) => e.CancelRequest(request, now));
        Assert.Equal(EventKind.RequestCancelled, Assert.Single(h.TerminalEventsFor(request.Caller)).Kind);
        h.Connect();
        Assert.DoesNotContain(PacketKind.Subscribe, h.SentKinds);
    }

    [Fact]
    public void Cancel_after_send_detaches_the_caller_but_the_grant_still_counts()
    {
        var h = new EngineHarness();
        h.Connect();
        SubscriptionRequest request = h.Subscribe("a");
        h.Do((e, now) => e.CancelRequest(request, now));
        h.Do((e, now) => e.CancelRequest(request, now));
        Assert.Equal(EventKind.RequestCancelled, Assert.Single(h.TerminalEventsFor(request.Caller)).Kind);
        SubAck(h, request, 1);
        Assert.Single(h.TerminalEventsFor(request.Caller));
        Assert.Single(h.Engine.SnapshotSubscriptions());
    }

    [Fact]
    public void Dispose_after_a_cancelled_request_does_not_tell_its_caller_again()
    {
        var h = new EngineHarness();
        h.Connect();
        SubscriptionRequest request = h.Subscribe("a");
        h.Do((e, now) => e.CancelRequest(request, now));
        h.Do((e, now) => e.Dispose(now));
        Assert.Single(h.TerminalEventsFor(request.Caller));
    }

    [Fact]
    public void Requests_are_sent_in_order_and_UNSUBACK_after_a_re_subscribe_keeps_it_removed()
    {
        var h = new EngineHarness();
        h.Connect();
        SubscriptionRequest subscribe = h.Subscribe("a");
        SubscriptionRequest unsubscribe = h.Unsubscribe("a");
        Assert.Equal([PacketKind.Subscribe, PacketKind.Unsubscribe], h.SentKinds.Where(k => k != PacketKind.Connect));
        SubAck(h, subscribe, 1);
        Assert.Single(h.Engine.SnapshotSubscriptions());
        h.Do((e, now) => e.HandleUnsubAck(e.Link, unsubscribe.PacketId, now));
        Assert.Empty(h.Engine.SnapshotSubscriptions());
    }
}
