using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Engine;

/// <summary>The Connection machine as the engine carries it out: opening, CONNACK, refusals, backoff, disconnect, dispose.</summary>
public sealed class EngineConnectionTests
{
    [Fact]
    public void Connect_opens_a_link_and_sends_CONNECT_only_once_it_is_open()
    {
        var h = new EngineHarness();
        object caller = new();
        h.Do((e, now) => e.Connect(caller, now));
        Assert.Equal(ConnectionState.Connecting, h.Engine.State);
        Assert.Equal([ActionKind.OpenLink], h.Actions.Select(a => a.Kind));
        Assert.Empty(h.Sent);

        h.Open();
        Assert.Equal(ConnectionState.AwaitingConnAck, h.Engine.State);
        EngineAction connect = Assert.Single(h.Sent);
        Assert.Equal(PacketKind.Connect, connect.Packet);
        Assert.True(connect.CleanSession);
        Assert.Equal(h.LastOpened, connect.Link);
        Assert.Empty(h.TerminalEventsFor(caller));

        h.ConnAck();
        Assert.True(h.Engine.IsConnected);
        Assert.Equal(EventKind.ConnectCompleted, Assert.Single(h.TerminalEventsFor(caller)).Kind);
        Assert.Contains(h.Events, e => e.Kind == EventKind.LinkUp && !e.SessionPresent);
    }

    [Fact]
    public void Connect_while_connected_completes_at_once()
    {
        var h = new EngineHarness();
        h.Connect();
        object second = new();
        int mark = h.Mark();
        h.Do((e, now) => e.Connect(second, now));
        Assert.Equal(EventKind.ConnectCompleted, Assert.Single(h.TerminalEventsFor(second)).Kind);
        Assert.Empty(h.Actions.Skip(mark));
    }

    [Fact]
    public void CONNACK_0x03_server_unavailable_backs_off_and_keeps_the_caller_waiting()
    {
        var h = new EngineHarness();
        object caller = new();
        h.Do((e, now) => e.Connect(caller, now));
        h.Open();
        h.ConnAck(returnCode: 3);
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
        EngineEvent failed = Assert.Single(h.Events, e => e.Kind == EventKind.ConnectAttemptFailed);
        Assert.Equal(3, failed.ReturnCode);
        Assert.Empty(h.TerminalEventsFor(caller));
        Assert.Equal(ActionKind.CloseLink, h.Actions.Last().Kind);

        h.Reconnect();
        Assert.Equal(EventKind.ConnectCompleted, Assert.Single(h.TerminalEventsFor(caller)).Kind);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(5)]
    public void A_fatal_CONNACK_refusal_before_any_success_fails_the_connect_with_its_code(int code)
    {
        var h = new EngineHarness();
        object caller = new();
        h.Do((e, now) => e.Connect(caller, now));
        h.Open();
        int link = h.Engine.Link;
        h.ConnAck(returnCode: code);

        Assert.Equal(ConnectionState.Closed, h.Engine.State);
        EngineEvent failed = Assert.Single(h.TerminalEventsFor(caller));
        Assert.Equal(EventKind.ConnectFailed, failed.Kind);
        Assert.Equal(FailureKind.Refused, failed.Failure);
        Assert.Equal(code, failed.ReturnCode);
        Assert.Contains(h.Actions, a => a.Kind == ActionKind.CloseLink && a.Link == link);
        Assert.Equal(SessionEngine.Never, h.Engine.PollTimeout());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(5)]
    public void A_fatal_CONNACK_refusal_after_having_connected_backs_off(int code)
    {
        var h = new EngineHarness();
        object caller = new();
        h.Do((e, now) => e.Connect(caller, now));
        h.Open();
        h.ConnAck();
        h.LinkError();
        h.Advance(h.Engine.PollTimeout() - h.Now);
        h.Open();
        h.ConnAck(returnCode: code);

        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
        Assert.Equal(code, h.Events.Last(e => e.Kind == EventKind.ConnectAttemptFailed).ReturnCode);
        Assert.DoesNotContain(h.Events, e => e.Kind == EventKind.ConnectFailed);
    }

    [Fact]
    public void An_unknown_host_on_the_first_connect_fails_it_as_a_configuration_error()
    {
        var h = new EngineHarness();
        object caller = new();
        h.Do((e, now) => e.Connect(caller, now));
        h.LinkError(SocketErrorCode.HostNotFound);

        Assert.Equal(ConnectionState.Closed, h.Engine.State);
        EngineEvent failed = Assert.Single(h.TerminalEventsFor(caller));
        Assert.Equal(EventKind.ConnectFailed, failed.Kind);
        Assert.Equal(FailureKind.Configuration, failed.Failure);
        Assert.Equal((int)SocketErrorCode.HostNotFound, failed.SocketError);
        Assert.Equal(-1, failed.ReturnCode);
    }

    [Fact]
    public void An_unknown_host_after_a_retryable_refusal_is_still_a_configuration_error_not_that_refusal()
    {
        // The 0x03 of an earlier attempt must not colour the failure of a later one.
        var h = new EngineHarness();
        object caller = new();
        h.Do((e, now) => e.Connect(caller, now));
        h.Open();
        h.ConnAck(returnCode: 3);
        h.Advance(h.Engine.PollTimeout() - h.Now);
        h.LinkError(SocketErrorCode.HostNotFound);

        EngineEvent failed = Assert.Single(h.TerminalEventsFor(caller));
        Assert.Equal(FailureKind.Configuration, failed.Failure);
        Assert.Equal(-1, failed.ReturnCode);
    }

    [Fact]
    public void A_link_lost_after_a_refusal_reports_no_stale_return_code()
    {
        var h = new EngineHarness();
        h.Do((e, now) => e.Connect(new object(), now));
        h.Open();
        h.ConnAck(returnCode: 3);
        h.Advance(h.Engine.PollTimeout() - h.Now);
        h.LinkError(SocketErrorCode.ConnectionRefused);
        EngineEvent failed = h.Events.Last(e => e.Kind == EventKind.ConnectAttemptFailed);
        Assert.Equal((int)SocketErrorCode.ConnectionRefused, failed.SocketError);
        Assert.Equal(-1, failed.ReturnCode);
    }

    [Fact]
    public void An_unknown_host_after_a_success_is_an_outage_and_backs_off()
    {
        var h = new EngineHarness();
        object caller = h.Connect();
        h.LinkError();
        h.Advance(h.Engine.PollTimeout() - h.Now);
        h.LinkError(SocketErrorCode.HostNotFound);
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
        Assert.DoesNotContain(h.Events, e => e.Kind == EventKind.ConnectFailed);
        Assert.Single(h.TerminalEventsFor(caller));
    }

    [Fact]
    public void A_configuration_error_on_an_open_link_is_a_lost_link()
    {
        var h = new EngineHarness();
        h.Connect();
        h.LinkError(SocketErrorCode.AccessDenied);
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
        Assert.Contains(h.Events, e => e.Kind == EventKind.LinkDown && e.SocketError == (int)SocketErrorCode.AccessDenied);
    }

    [Fact]
    public void EINPROGRESS_restarts_the_open_on_a_new_link_and_the_old_links_late_results_are_ignored()
    {
        var h = new EngineHarness();
        h.Do((e, now) => e.Connect(new object(), now));
        int first = h.LastOpened;
        long deadline = h.Engine.PollTimeout();
        h.Advance(500);
        h.Do((e, now) => e.HandleLinkPending(first, now));

        int second = h.LastOpened;
        Assert.NotEqual(first, second);
        Assert.Equal(second, h.Engine.Link);
        Assert.Contains(h.Actions, a => a.Kind == ActionKind.CloseLink && a.Link == first);
        Assert.Equal(ConnectionState.Connecting, h.Engine.State);
        Assert.Equal(deadline, h.Engine.PollTimeout()); // the same deadline: polling again does not extend it

        // The abandoned link's late results change nothing, and a late "opened" is closed again.
        int mark = h.Mark();
        h.Do((e, now) => e.HandleLinkError(first, (int)SocketErrorCode.ConnectionRefused, "late", now));
        h.Do((e, now) => e.HandleLinkClosed(first, "late", now));
        h.Do((e, now) => e.HandleLinkPending(first, now));
        Assert.Equal(ConnectionState.Connecting, h.Engine.State);
        Assert.Empty(h.Actions.Skip(mark));
        h.Do((e, now) => e.HandleLinkOpened(first, now));
        Assert.Equal(ConnectionState.Connecting, h.Engine.State);
        EngineAction close = Assert.Single(h.Actions.Skip(mark));
        Assert.Equal(ActionKind.CloseLink, close.Kind);
        Assert.Equal(first, close.Link);

        h.Do((e, now) => e.HandleLinkOpened(second, now));
        Assert.Equal(ConnectionState.AwaitingConnAck, h.Engine.State);
        Assert.Equal(second, h.Sent.Single().Link);
    }

    [Fact]
    public void A_stale_links_HandleLinkOpened_is_answered_with_CloseLink_for_that_link()
    {
        var h = new EngineHarness();
        h.Connect();
        int old = h.Engine.Link;
        h.LinkError();
        h.Advance(h.Engine.PollTimeout() - h.Now);
        int mark = h.Mark();
        h.Do((e, now) => e.HandleLinkOpened(old, now));
        EngineAction close = Assert.Single(h.Actions.Skip(mark));
        Assert.Equal(ActionKind.CloseLink, close.Kind);
        Assert.Equal(old, close.Link);
        Assert.Equal(ConnectionState.Connecting, h.Engine.State);

        // In Backoff, too: no link is wanted at all.
        h.LinkError(SocketErrorCode.ConnectionRefused);
        int current = h.LastOpened;
        mark = h.Mark();
        h.Do((e, now) => e.HandleLinkOpened(current, now));
        Assert.Equal(current, Assert.Single(h.Actions.Skip(mark)).Link);
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
    }

    [Fact]
    public void A_repeated_HandleLinkOpened_for_the_open_current_link_does_not_close_it()
    {
        // The engine still wants that link: closing it while believing it is up would leave it sending on a closed link.
        var h = new EngineHarness();
        h.Do((e, now) => e.Connect(new object(), now));
        h.Open();
        int mark = h.Mark();
        h.Open();
        Assert.Empty(h.Actions.Skip(mark));
        h.ConnAck();
        h.Open();
        Assert.Empty(h.Actions.Skip(mark));
        Assert.True(h.Engine.IsConnected);
    }

    [Fact]
    public void No_open_within_the_response_time_backs_off()
    {
        var h = new EngineHarness();
        h.Do((e, now) => e.Connect(new object(), now));
        int link = h.LastOpened;
        h.Advance(h.Options.ResponseTimeMs - 1);
        Assert.Equal(ConnectionState.Connecting, h.Engine.State);
        h.Advance(1);
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
        Assert.Contains(h.Actions, a => a.Kind == ActionKind.CloseLink && a.Link == link);
        Assert.Contains(h.Events, e => e.Kind == EventKind.ConnectAttemptFailed);
    }

    [Fact]
    public void No_CONNACK_within_the_response_time_backs_off()
    {
        var h = new EngineHarness();
        h.Do((e, now) => e.Connect(new object(), now));
        h.Advance(300);
        h.Open();
        h.Advance(h.Options.ResponseTimeMs - 1);
        Assert.Equal(ConnectionState.AwaitingConnAck, h.Engine.State);
        h.Advance(1);
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
        Assert.Contains(h.Events, e => e.Kind == EventKind.ConnectAttemptFailed);
    }

    [Fact]
    public void Backoff_delays_lie_in_half_to_whole_of_a_doubling_ceiling_and_restart_after_a_stable_link()
    {
        // Stable after 1.5 s: before the first ping (keepalive 8 s / 4), which nothing here would answer.
        var h = new EngineHarness(o => { o.BackoffInitialMs = 500; o.BackoffMaximumMs = 4_000; o.StableLinkMs = 1_500; }, seed: 7);
        h.Do((e, now) => e.Connect(new object(), now));
        long[] ceilings = [500, 1_000, 2_000, 4_000, 4_000, 4_000];
        foreach (long ceiling in ceilings)
        {
            h.LinkError(SocketErrorCode.ConnectionRefused);
            long delay = h.Engine.PollTimeout() - h.Now;
            Assert.InRange(delay, ceiling / 2, ceiling);
            h.Advance(delay - 1);
            Assert.Equal(ConnectionState.Backoff, h.Engine.State);
            h.Advance(1);
            Assert.Equal(ConnectionState.Connecting, h.Engine.State);
        }

        h.Open();
        h.ConnAck();
        h.Advance(h.Options.StableLinkMs); // the link proved stable
        h.LinkError();
        Assert.InRange(h.Engine.PollTimeout() - h.Now, 250, 500);
    }

    /// <summary>mqtt_as's case, Wi-Fi at the edge of range: links die within a second, but each carries acknowledged messages, so each proved itself and the next reconnect comes at the first delay.</summary>
    [Fact]
    public void A_short_link_on_which_the_broker_acknowledged_a_message_starts_the_backoff_over()
    {
        var h = new EngineHarness(o => { o.BackoffInitialMs = 500; o.BackoffMaximumMs = 4_000; o.StableLinkMs = 30_000; }, seed: 7);
        h.Do((e, now) => e.Connect(new object(), now));
        for (int link = 0; link < 5; link++)
        {
            h.Open();
            h.ConnAck();
            OutboundMessage m = h.Publish("t", 1);
            h.Do((e, now) => e.HandlePubAck(e.Link, m.PacketId, now));
            h.Advance(300);
            h.LinkError();
            Assert.InRange(h.Engine.PollTimeout() - h.Now, 250, 500);
            h.Advance(h.Engine.PollTimeout() - h.Now);
        }
    }

    /// <summary>#13: a link that dies soon after its CONNACK (a message the client cannot take, every time) is not a success: the delays keep growing.</summary>
    [Fact]
    public void A_link_lost_before_it_proved_stable_keeps_the_backoff_growing()
    {
        var h = new EngineHarness(o => { o.BackoffInitialMs = 500; o.BackoffMaximumMs = 4_000; o.StableLinkMs = 1_500; }, seed: 7);
        h.Do((e, now) => e.Connect(new object(), now));
        long[] ceilings = [500, 1_000, 2_000, 4_000, 4_000];
        foreach (long ceiling in ceilings)
        {
            h.Open();
            h.ConnAck();
            h.Advance(h.Options.StableLinkMs - 1);
            Assert.True(h.Engine.IsConnected);
            h.Do((e, now) => e.HandleMalformed(e.Link, "poison", now));
            EngineEvent down = h.Events.Last(e => e.Kind == EventKind.LinkDown);
            Assert.True(down.WillRetry);
            long delay = h.Engine.PollTimeout() - h.Now;
            Assert.Equal(delay, down.DelayMs);
            Assert.InRange(delay, ceiling / 2, ceiling);
            h.Advance(delay);
            Assert.Equal(ConnectionState.Connecting, h.Engine.State);
        }
    }

    [Fact]
    public void Backoff_jitter_spreads_over_the_whole_range()
    {
        var delays = new List<long>();
        for (int seed = 0; seed < 40; seed++)
        {
            var h = new EngineHarness(o => { o.BackoffInitialMs = 1_000; o.BackoffMaximumMs = 1_000; }, seed);
            h.Do((e, now) => e.Connect(new object(), now));
            h.LinkError(SocketErrorCode.ConnectionRefused);
            delays.Add(h.Engine.PollTimeout() - h.Now);
        }

        Assert.All(delays, d => Assert.InRange(d, 500, 1_000));
        Assert.True(delays.Distinct().Count() > 10, string.Join(", ", delays));
    }

    [Fact]
    public void A_fresh_Connect_after_Disconnect_starts_the_backoff_sequence_again()
    {
        var h = new EngineHarness(o => { o.BackoffInitialMs = 500; o.BackoffMaximumMs = 4_000; });
        h.Do((e, now) => e.Connect(new object(), now));
        for (int i = 0; i < 5; i++)
        {
            h.LinkError(SocketErrorCode.ConnectionRefused);
            h.Advance(h.Engine.PollTimeout() - h.Now);
        }

        h.Do((e, now) => e.Disconnect(new object(), now));
        Assert.Equal(ConnectionState.Closed, h.Engine.State);
        h.Do((e, now) => e.Connect(new object(), now));
        h.LinkError(SocketErrorCode.ConnectionRefused);
        Assert.InRange(h.Engine.PollTimeout() - h.Now, 250, 500);
    }

    [Fact]
    public void NeverConnected_is_reset_by_each_Connect_from_Closed_so_a_fatal_refusal_fails_it()
    {
        var h = new EngineHarness();
        h.Connect();
        object disconnect = new();
        h.Do((e, now) => e.Disconnect(disconnect, now));
        h.CompleteWrites();
        Assert.Equal(ConnectionState.Closed, h.Engine.State);

        object again = new();
        h.Do((e, now) => e.Connect(again, now));
        h.Open();
        h.ConnAck(returnCode: 4);
        Assert.Equal(ConnectionState.Closed, h.Engine.State);
        EngineEvent failed = Assert.Single(h.TerminalEventsFor(again));
        Assert.Equal(EventKind.ConnectFailed, failed.Kind);
        Assert.Equal(FailureKind.Refused, failed.Failure);
        Assert.Equal(4, failed.ReturnCode);
    }

    [Fact]
    public void NeverConnected_is_reset_by_a_Connect_from_Closed_after_a_configuration_error()
    {
        var h = new EngineHarness();
        object first = new();
        h.Do((e, now) => e.Connect(first, now));
        h.LinkError(SocketErrorCode.HostNotFound);
        object second = new();
        h.Do((e, now) => e.Connect(second, now));
        h.LinkError(SocketErrorCode.NoData);
        Assert.Equal(FailureKind.Configuration, Assert.Single(h.TerminalEventsFor(second)).Failure);
    }

    [Fact]
    public void Session_present_after_a_clean_session_request_is_a_protocol_violation()
    {
        var h = new EngineHarness(o => o.CleanSession = true);
        object caller = new();
        h.Do((e, now) => e.Connect(caller, now));
        h.Open();
        h.ConnAck(sessionPresent: true);
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
        Assert.False(h.Engine.IsConnected);
        EngineEvent failed = Assert.Single(h.Events, e => e.Kind == EventKind.ConnectAttemptFailed);
        Assert.Contains("MQTT-3.2.2-1", failed.Reason, StringComparison.Ordinal);
        Assert.Empty(h.TerminalEventsFor(caller));
    }

    [Fact]
    public void CleanSessionOnFirstConnect_asks_for_a_clean_session_once_then_resumes()
    {
        var h = new EngineHarness(o => { o.CleanSession = false; o.CleanSessionOnFirstConnect = true; });
        h.Connect();
        Assert.True(h.Sent.Single().CleanSession);
        h.LinkError();
        h.Reconnect(sessionPresent: true);
        Assert.False(h.Sent.Last(a => a.Packet == PacketKind.Connect).CleanSession);
    }

    [Fact]
    public void Session_present_is_believed_when_every_CONNECT_was_answered()
    {
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        h.Subscribe("a/#", 1);
        h.Do((e, now) => e.HandleSubAck(e.Link, h.LastRequestSent.PacketId, [1], now));
        h.LinkError();
        int mark = h.Mark();
        h.Reconnect(sessionPresent: true);
        Assert.DoesNotContain(PacketKind.Subscribe, h.SentKindsSince(mark));
        Assert.Contains(h.Events, e => e.Kind == EventKind.LinkUp && e.SessionPresent);
    }

    [Fact]
    public void A_CONNECT_that_died_unanswered_makes_a_later_session_present_restore_subscriptions()
    {
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        h.Subscribe("a/#", 1);
        h.Do((e, now) => e.HandleSubAck(e.Link, h.LastRequestSent.PacketId, [1], now));
        h.LinkError();

        // The next CONNECT goes out, and its link dies before any CONNACK: the broker may have made a new session then.
        h.Advance(h.Engine.PollTimeout() - h.Now);
        h.Open();
        Assert.Equal(ConnectionState.AwaitingConnAck, h.Engine.State);
        h.LinkError();

        int mark = h.Mark();
        h.Reconnect(sessionPresent: true);
        EngineAction restore = Assert.Single(h.SentSince(mark), a => a.Packet == PacketKind.Subscribe);
        Assert.Equal(["a/#"], restore.Request.Filters);
        Assert.True(restore.Request.IsRestore);

        // Once a CONNECT was answered again, "session present" is trusted again.
        h.Do((e, now) => e.HandleSubAck(e.Link, restore.PacketId, [1], now));
        h.LinkError();
        mark = h.Mark();
        h.Reconnect(sessionPresent: true);
        Assert.DoesNotContain(PacketKind.Subscribe, h.SentKindsSince(mark));
    }

    [Fact]
    public void Connect_while_disconnecting_is_rejected_and_the_disconnect_goes_on()
    {
        var h = new EngineHarness();
        h.Connect();
        object disconnect = new();
        h.Do((e, now) => e.Disconnect(disconnect, now));
        object connect = new();
        h.Do((e, now) => e.Connect(connect, now));
        EngineEvent rejected = Assert.Single(h.TerminalEventsFor(connect));
        Assert.Equal(EventKind.ConnectFailed, rejected.Kind);
        Assert.Equal(FailureKind.DisconnectInProgress, rejected.Failure);
        Assert.Equal(ConnectionState.Disconnecting, h.Engine.State);

        h.CompleteWrites();
        Assert.Equal(ConnectionState.Closed, h.Engine.State);
        Assert.Equal(EventKind.DisconnectCompleted, Assert.Single(h.TerminalEventsFor(disconnect)).Kind);
        Assert.Single(h.TerminalEventsFor(connect));
    }

    [Fact]
    public void Disconnect_while_connecting_abandons_the_connect()
    {
        var h = new EngineHarness();
        object connect = new();
        h.Do((e, now) => e.Connect(connect, now));
        int link = h.LastOpened;
        object disconnect = new();
        h.Do((e, now) => e.Disconnect(disconnect, now));
        Assert.Equal(ConnectionState.Closed, h.Engine.State);
        Assert.Equal(FailureKind.Abandoned, Assert.Single(h.TerminalEventsFor(connect)).Failure);
        Assert.Equal(EventKind.DisconnectCompleted, Assert.Single(h.TerminalEventsFor(disconnect)).Kind);
        Assert.Contains(h.Actions, a => a.Kind == ActionKind.CloseLink && a.Link == link);
        Assert.Empty(h.Sent);
        Assert.Equal(SessionEngine.Never, h.Engine.PollTimeout());
    }

    [Fact]
    public void Disconnect_in_backoff_stops_reconnecting()
    {
        var h = new EngineHarness();
        object connect = new();
        h.Do((e, now) => e.Connect(connect, now));
        h.LinkError(SocketErrorCode.ConnectionRefused);
        h.Do((e, now) => e.Disconnect(new object(), now));
        Assert.Equal(ConnectionState.Closed, h.Engine.State);
        Assert.Equal(FailureKind.Abandoned, Assert.Single(h.TerminalEventsFor(connect)).Failure);
        int mark = h.Mark();
        h.Advance(60_000);
        Assert.Empty(h.Actions.Skip(mark));
    }

    [Fact]
    public void Disconnect_when_idle_completes_at_once()
    {
        var h = new EngineHarness();
        object disconnect = new();
        h.Do((e, now) => e.Disconnect(disconnect, now));
        Assert.Equal(ConnectionState.Closed, h.Engine.State);
        Assert.Equal(EventKind.DisconnectCompleted, Assert.Single(h.TerminalEventsFor(disconnect)).Kind);
        Assert.Empty(h.Actions);
    }

    [Fact]
    public void Cancelling_a_connect_silences_its_caller_and_the_client_goes_on_trying()
    {
        var h = new EngineHarness();
        object connect = new();
        h.Do((e, now) => e.Connect(connect, now));
        h.Do((e, now) => e.CancelConnect(connect, now));
        h.Open();
        h.ConnAck();
        Assert.True(h.Engine.IsConnected);
        Assert.Empty(h.TerminalEventsFor(connect));
    }

    [Fact]
    public void Dispose_fails_every_waiting_caller_with_Disposed()
    {
        var h = new EngineHarness();
        object connect = new();
        h.Do((e, now) => e.Connect(connect, now));
        h.LinkError(SocketErrorCode.ConnectionRefused);
        OutboundMessage qos0 = h.Publish("t", 0);
        OutboundMessage qos1 = h.Publish("t", 1);
        SubscriptionRequest subscribe = h.Subscribe("s");
        SubscriptionRequest unsubscribe = h.Unsubscribe("u");

        h.Do((e, now) => e.Dispose(now));
        Assert.Equal(ConnectionState.Disposed, h.Engine.State);
        foreach (object caller in new[] { connect, qos0.Caller, qos1.Caller, subscribe.Caller, unsubscribe.Caller })
        {
            EngineEvent failed = Assert.Single(h.TerminalEventsFor(caller));
            Assert.Equal(FailureKind.Disposed, failed.Failure);
        }

        Assert.Equal(0, h.Engine.HeldCount);
        Assert.Equal(SessionEngine.Never, h.Engine.PollTimeout());
        Assert.Throws<InvalidOperationException>(() => h.Engine.Connect(new object(), h.Now));
        Assert.Throws<InvalidOperationException>(() => h.Engine.Publish(new OutboundMessage("t", [1], 1, false, new object()), h.Now));
    }

    [Fact]
    public void Dispose_while_connected_closes_the_link_without_DISCONNECT()
    {
        var h = new EngineHarness();
        h.Connect();
        OutboundMessage message = h.Publish("t", 1);
        int link = h.Engine.Link;
        int mark = h.Mark();
        h.Do((e, now) => e.Dispose(now));
        Assert.Empty(h.SentSince(mark));
        Assert.Contains(h.Actions.Skip(mark), a => a.Kind == ActionKind.CloseLink && a.Link == link);
        Assert.Equal(FailureKind.Disposed, Assert.Single(h.TerminalEventsFor(message.Caller)).Failure);
        Assert.Contains(h.Events, e => e.Kind == EventKind.LinkDown);

        // Late results of the closed link do nothing; a second Dispose is harmless.
        mark = h.EventMark();
        h.Do((e, now) => e.HandlePubAck(link, message.PacketId, now));
        h.Do((e, now) => e.Dispose(now));
        Assert.Empty(h.EventsSince(mark));
    }

    [Fact]
    public void Malformed_input_closes_the_link_and_backs_off()
    {
        var h = new EngineHarness();
        h.Connect();
        h.Do((e, now) => e.HandleMalformed(e.Link, "bad remaining length", now));
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
        Assert.Contains(h.Events, e => e.Kind == EventKind.LinkDown && e.Reason == "bad remaining length");
    }

    [Theory]
    [InlineData(PacketKind.Connect)]
    [InlineData(PacketKind.Subscribe)]
    [InlineData(PacketKind.Unsubscribe)]
    [InlineData(PacketKind.PingReq)]
    [InlineData(PacketKind.Disconnect)]
    public void A_packet_only_clients_send_is_a_protocol_violation(PacketKind packet)
    {
        var h = new EngineHarness();
        h.Connect();
        h.Do((e, now) => e.HandleClientOnlyPacket(e.Link, packet, now));
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
    }

    [Theory]
    [InlineData(PacketKind.Publish)]
    [InlineData(PacketKind.PubAck)]
    [InlineData(PacketKind.SubAck)]
    [InlineData(PacketKind.PingResp)]
    public void Anything_but_CONNACK_before_CONNACK_is_a_protocol_violation(PacketKind packet)
    {
        var h = new EngineHarness();
        h.Do((e, now) => e.Connect(new object(), now));
        h.Open();
        h.Do((e, now) =>
        {
            switch (packet)
            {
                case PacketKind.Publish: e.HandlePublish(e.Link, "t", [1], 0, false, false, 0, now); break;
                case PacketKind.PubAck: e.HandlePubAck(e.Link, 1, now); break;
                case PacketKind.SubAck: e.HandleSubAck(e.Link, 1, [0], now); break;
                default: e.HandlePingResp(e.Link, now); break;
            }
        });
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
        Assert.Equal(0, h.Engine.UndeliveredCount);
    }

    [Fact]
    public void A_second_CONNACK_is_a_protocol_violation()
    {
        var h = new EngineHarness();
        h.Connect();
        h.ConnAck();
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
    }
}
