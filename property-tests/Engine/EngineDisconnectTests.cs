using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Engine;

/// <summary>Nothing is sent after DISCONNECT [MQTT-3.14.4-2], whatever arrives, is taken or falls due meanwhile.</summary>
public sealed class EngineDisconnectTests
{
    private static (EngineHarness Harness, object Disconnect, int Link) Disconnecting(Action<EngineOptions>? configure = null)
    {
        var h = new EngineHarness(configure);
        h.Connect();
        object disconnect = new();
        h.Do((e, now) => e.Disconnect(disconnect, now));
        Assert.Equal(ConnectionState.Disconnecting, h.Engine.State);
        Assert.Equal(PacketKind.Disconnect, h.SentKinds.Last());
        return (h, disconnect, h.Engine.Link);
    }

    [Fact]
    public void Nothing_is_sent_after_DISCONNECT_whatever_arrives_is_taken_or_is_asked_for()
    {
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        OutboundMessage inFlight = h.Publish("out", 1);
        h.Receive("in", 1, packetId: 11);
        h.Receive("in", 2, packetId: 12);
        h.Do((e, now) => e.Disconnect(new object(), now));
        int mark = h.Mark();

        // The broker sends everything it can; the application takes, publishes and subscribes; time passes.
        h.Receive("late", 1, packetId: 13);
        h.Receive("late", 2, packetId: 12, dup: true);
        h.Do((e, now) => e.HandlePubRel(e.Link, 12, now));
        h.Do((e, now) => e.HandlePubRec(e.Link, 99, now));
        h.Do((e, now) => e.HandlePingResp(e.Link, now));
        while (h.Take() is not null)
        {
        }

        h.Publish("out", 0);
        h.Publish("out", 1);
        h.Subscribe("s");
        h.Unsubscribe("u");
        h.Do((e, now) => e.HandlePubAck(e.Link, inFlight.PacketId, now));
        h.Advance(h.Options.ResponseTimeMs - 1);

        Assert.Empty(h.SentSince(mark));
        Assert.Equal(0, h.Engine.Statistics.SendsRefused);
        Assert.Equal(ConnectionState.Disconnecting, h.Engine.State);
        h.CompleteWrites();
        Assert.Equal(ConnectionState.Closed, h.Engine.State);
        Assert.Empty(h.SentSince(mark));
    }

    [Fact]
    public void While_disconnecting_packets_that_need_a_reply_are_ignored_and_counted()
    {
        (EngineHarness h, _, _) = Disconnecting();
        long ignored = h.Engine.Statistics.PacketsIgnored;
        h.Receive("in", 0);
        h.Receive("in", 1, packetId: 3);
        h.Receive("in", 2, packetId: 4);
        h.Do((e, now) => e.HandlePubRel(e.Link, 4, now));
        h.Do((e, now) => e.HandlePubRec(e.Link, 5, now));
        Assert.Equal(0, h.Engine.UndeliveredCount);
        Assert.Equal(ignored + 5, h.Engine.Statistics.PacketsIgnored);
        Assert.Equal(5, h.Events.Count(e => e.Kind == EventKind.PacketIgnored));
        Assert.Equal(ConnectionState.Disconnecting, h.Engine.State);
    }

    [Fact]
    public void While_disconnecting_a_PUBACK_still_completes_its_publish()
    {
        var h = new EngineHarness();
        h.Connect();
        OutboundMessage message = h.Publish("t", 1);
        h.Do((e, now) => e.Disconnect(new object(), now));
        h.Do((e, now) => e.HandlePubAck(e.Link, message.PacketId, now));
        Assert.Equal(EventKind.PublishCompleted, Assert.Single(h.TerminalEventsFor(message.Caller)).Kind);
        Assert.Equal(0, h.Engine.HeldCount);
    }

    [Fact]
    public void While_disconnecting_a_SUBACK_still_completes_its_request()
    {
        var h = new EngineHarness();
        h.Connect();
        SubscriptionRequest request = h.Subscribe("a");
        h.Do((e, now) => e.Disconnect(new object(), now));
        h.Do((e, now) => e.HandleSubAck(e.Link, request.PacketId, [1], now));
        Assert.Equal(EventKind.RequestCompleted, Assert.Single(h.TerminalEventsFor(request.Caller)).Kind);
        Assert.Single(h.Engine.SnapshotSubscriptions());
    }

    [Fact]
    public void A_message_taken_after_DISCONNECT_is_not_acknowledged_and_is_redelivered_next_session()
    {
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        h.Receive("in", 1, packetId: 9);
        h.Do((e, now) => e.Disconnect(new object(), now));
        int mark = h.Mark();
        Assert.NotNull(h.Take());
        Assert.Empty(h.SentSince(mark));
        h.CompleteWrites();

        h.Do((e, now) => e.Connect(new object(), now));
        h.Open();
        h.ConnAck(sessionPresent: true);
        h.Receive("in", 1, packetId: 9, dup: true);
        mark = h.Mark();
        Assert.NotNull(h.Take());
        Assert.Equal([PacketKind.PubAck], h.SentKindsSince(mark));
    }

    [Fact]
    public void No_PINGREQ_follows_DISCONNECT_however_long_its_write_takes()
    {
        (EngineHarness h, _, _) = Disconnecting(o => o.ResponseTimeMs = 30_000);
        int mark = h.Mark();
        h.Advance(29_999);
        Assert.Empty(h.SentSince(mark));
    }

    [Fact]
    public void A_DISCONNECT_not_written_within_the_response_time_closes_the_link()
    {
        (EngineHarness h, object disconnect, int link) = Disconnecting();
        h.Advance(h.Options.ResponseTimeMs);
        Assert.Equal(ConnectionState.Closed, h.Engine.State);
        Assert.Contains(h.Actions, a => a.Kind == ActionKind.CloseLink && a.Link == link);
        Assert.Equal(EventKind.DisconnectCompleted, Assert.Single(h.TerminalEventsFor(disconnect)).Kind);
    }

    [Fact]
    public void A_publish_overdue_while_disconnecting_does_not_make_the_deadline_spin()
    {
        // The PUBACK deadline of a message sent before DISCONNECT falls due while disconnecting: nothing may be re-sent
        // then, and the deadline must not stay due (a driver would spin until the DISCONNECT deadline).
        var h = new EngineHarness();
        h.Connect();
        OutboundMessage message = h.Publish("t", 1);
        h.Advance(100);
        object disconnect = new();
        h.Do((e, now) => e.Disconnect(disconnect, now));
        int mark = h.Mark();
        h.Advance(h.Options.ResponseTimeMs);
        Assert.Empty(h.SentSince(mark));
        Assert.Equal(ConnectionState.Closed, h.Engine.State);
        Assert.True(message.State == PublishState.Resend, message.State.ToString());
        Assert.Equal(1, h.Engine.HeldCount);
    }

    [Fact]
    public void A_request_overdue_while_disconnecting_closes_the_link()
    {
        var h = new EngineHarness();
        h.Connect();
        h.Subscribe("a");
        h.Advance(100);
        object disconnect = new();
        h.Do((e, now) => e.Disconnect(disconnect, now));
        h.Advance(h.Options.ResponseTimeMs - 100);
        Assert.Equal(ConnectionState.Closed, h.Engine.State);
        Assert.Single(h.TerminalEventsFor(disconnect));
    }

    [Fact]
    public void A_link_lost_while_disconnecting_completes_the_disconnect()
    {
        (EngineHarness h, object disconnect, _) = Disconnecting();
        h.LinkError();
        Assert.Equal(ConnectionState.Closed, h.Engine.State);
        Assert.Equal(EventKind.DisconnectCompleted, Assert.Single(h.TerminalEventsFor(disconnect)).Kind);
        Assert.Single(h.Events, e => e.Kind == EventKind.LinkDown);
    }

    [Fact]
    public void A_late_written_report_for_DISCONNECT_after_closing_changes_nothing()
    {
        (EngineHarness h, object disconnect, _) = Disconnecting();
        EngineAction written = h.Sent.Last();
        h.LinkError();
        h.Do((e, now) => e.Connect(new object(), now));
        h.Do((e, now) => e.HandleWritten(written, now));
        Assert.Equal(ConnectionState.Connecting, h.Engine.State);
        Assert.Single(h.TerminalEventsFor(disconnect));
    }

    [Fact]
    public void Messages_held_across_a_disconnect_are_sent_on_the_next_connect()
    {
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        OutboundMessage sent = h.Publish("t", 1);
        h.Do((e, now) => e.Disconnect(new object(), now));
        OutboundMessage queued = h.Publish("t", 1);
        h.CompleteWrites();
        Assert.Equal(2, h.Engine.HeldCount);
        int mark = h.Mark();
        h.Do((e, now) => e.Connect(new object(), now));
        h.Open();
        h.ConnAck(sessionPresent: true);
        List<EngineAction> publishes = h.SentSince(mark).Where(a => a.Packet == PacketKind.Publish).ToList();
        Assert.Equal([sent, queued], publishes.Select(a => a.Message));
        Assert.Equal([true, false], publishes.Select(a => a.Dup));
    }

    [Fact]
    public void An_MQTT_5_DISCONNECT_carries_the_reason_code_of_the_call_that_started_it()
    {
        var h = new EngineHarness(o => o.ProtocolVersion = MqttProtocolVersion.V500);
        h.Connect();
        h.Do((e, now) => e.Disconnect(new object(), DisconnectRules.WithWillMessage, now));
        h.Do((e, now) => e.Disconnect(new object(), 0x80, now)); // joins the disconnect under way: the code stays

        EngineAction disconnect = Assert.Single(h.Sent, a => a.Packet == PacketKind.Disconnect);
        Assert.Equal(DisconnectRules.WithWillMessage, disconnect.ReasonCode);
    }

    [Fact]
    public void A_plain_Disconnect_sends_reason_code_0_and_a_reconnect_forgets_an_earlier_code()
    {
        var h = new EngineHarness(o => o.ProtocolVersion = MqttProtocolVersion.V500);
        h.Connect();
        h.Do((e, now) => e.Disconnect(new object(), DisconnectRules.WithWillMessage, now));
        h.CompleteWrites();
        h.Connect();
        h.Do((e, now) => e.Disconnect(new object(), now));

        Assert.Equal([DisconnectRules.WithWillMessage, DisconnectRules.Normal], h.Sent.Where(a => a.Packet == PacketKind.Disconnect).Select(a => a.ReasonCode));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, 0x04)]
    [InlineData(MqttProtocolVersion.V500, 0x8B)] // Server shutting down: the server's alone
    [InlineData(MqttProtocolVersion.V500, 0x05)]
    public void A_reason_code_the_client_may_not_send_is_refused_before_anything_changes(MqttProtocolVersion version, int code)
    {
        var h = new EngineHarness(o => o.ProtocolVersion = version);
        h.Connect();
        Assert.Throws<ArgumentException>(() => h.Do((e, now) => e.Disconnect(new object(), code, now)));
        Assert.Equal(ConnectionState.Connected, h.Engine.State);
    }
}
