using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Engine;

/// <summary>
/// Broker failover as the engine carries it out (virtual time, fixed seed): each failure moves the next OpenLink to the
/// next listed server, the backoff grows once per full round, and a Server Reference is dialled only when followed.
/// </summary>
public sealed class EngineFailoverTests
{
    /// <summary>A backoff of 100 ms times the attempt, so the round is readable in the delay.</summary>
    private sealed class StepBackoff : IBackoffPolicy
    {
        public long DelayMs(int attempt) => 100L * attempt;
    }

    private static EngineHarness Harness(int servers, bool follow = false) => new(o =>
    {
        o.ServerCount = servers;
        o.Backoff = new StepBackoff();
        o.FollowServerReference = follow;
        o.ProtocolVersion = MqttProtocolVersion.V500;
    });

    private static EngineAction LastOpen(EngineHarness h) => h.Actions.Last(a => a.Kind == ActionKind.OpenLink);

    [Fact]
    public void Refused_TCP_connects_rotate_through_the_list_and_the_backoff_grows_per_round()
    {
        EngineHarness h = Harness(3);
        object caller = new();
        h.Do((e, now) => e.Connect(caller, now));
        var dialled = new List<int> { LastOpen(h).Server };
        var delays = new List<long>();
        var failedServers = new List<int>();
        for (int i = 0; i < 6; i++)
        {
            h.LinkError(SocketErrorCode.ConnectionRefused);
            EngineEvent failed = h.Events.Last(e => e.Kind == EventKind.ConnectAttemptFailed);
            delays.Add(failed.DelayMs);
            failedServers.Add(failed.Server);
            h.Advance(h.Engine.PollTimeout() - h.Now);
            dialled.Add(LastOpen(h).Server);
        }

        Assert.Equal(new[] { 0, 1, 2, 0, 1, 2, 0 }, dialled);
        Assert.Equal(new[] { 0, 1, 2, 0, 1, 2 }, failedServers);
        Assert.Equal(new long[] { 100, 100, 100, 200, 200, 200 }, delays);
        Assert.Empty(h.TerminalEventsFor(caller));

        h.Open();
        h.ConnAck();
        EngineEvent up = h.Events.Last(e => e.Kind == EventKind.LinkUp);
        Assert.Equal(0, up.Server);
        Assert.Null(up.ServerReference);
    }

    [Fact]
    public void With_one_server_every_attempt_dials_it_and_the_backoff_grows_per_failure()
    {
        EngineHarness h = Harness(1);
        h.Do((e, now) => e.Connect(new object(), now));
        var delays = new List<long>();
        for (int i = 0; i < 3; i++)
        {
            h.LinkError(SocketErrorCode.ConnectionRefused);
            delays.Add(h.Events.Last(e => e.Kind == EventKind.ConnectAttemptFailed).DelayMs);
            h.Advance(h.Engine.PollTimeout() - h.Now);
            Assert.Equal(0, LastOpen(h).Server);
        }

        Assert.Equal(new long[] { 100, 200, 300 }, delays);
    }

    [Fact]
    public void A_lost_link_moves_to_the_next_server_and_LinkDown_names_the_one_lost()
    {
        EngineHarness h = Harness(2);
        h.Connect();
        Assert.Equal(0, h.Events.Last(e => e.Kind == EventKind.LinkUp).Server);

        h.LinkError();
        EngineEvent down = h.Events.Last(e => e.Kind == EventKind.LinkDown);
        Assert.Equal(0, down.Server);
        h.Reconnect();
        Assert.Equal(1, LastOpen(h).Server);
        Assert.Equal(1, h.Events.Last(e => e.Kind == EventKind.LinkUp).Server);

        h.LinkError();
        h.Reconnect();
        Assert.Equal(0, LastOpen(h).Server);
    }

    [Fact]
    public void A_new_connect_from_Closed_starts_again_at_the_first_server()
    {
        EngineHarness h = Harness(3);
        h.Connect();
        h.LinkError();
        h.Reconnect();
        Assert.Equal(1, LastOpen(h).Server);
        h.Do((e, now) => e.Disconnect(new object(), now));
        h.CompleteWrites();
        Assert.Equal(ConnectionState.Closed, h.Engine.State);

        h.Do((e, now) => e.Connect(new object(), now));
        Assert.Equal(0, LastOpen(h).Server);
    }

    [Fact]
    public void A_DISCONNECT_Server_Reference_is_not_followed_by_default()
    {
        EngineHarness h = Harness(2);
        h.Connect();
        h.Do((e, now) => e.HandleServerDisconnect(e.Link, 0x9C, "go away", "elsewhere:1883", now));
        Assert.Equal("elsewhere:1883", h.Engine.ServerReference);
        h.Reconnect();
        EngineAction open = LastOpen(h);
        Assert.Null(open.ServerReference);
        Assert.Equal(1, open.Server);
    }

    [Fact]
    public void A_followed_DISCONNECT_Server_Reference_is_dialled_once_then_the_list_goes_on()
    {
        EngineHarness h = Harness(2, follow: true);
        h.Connect();
        h.Do((e, now) => e.HandleServerDisconnect(e.Link, 0x9D, null!, "moved:1890 spare:1891", now));
        h.Advance(h.Engine.PollTimeout() - h.Now);
        EngineAction open = LastOpen(h);
        Assert.Equal("moved:1890", open.ServerReference);

        h.LinkError(SocketErrorCode.ConnectionRefused);
        Assert.Equal("moved:1890", h.Events.Last(e => e.Kind == EventKind.ConnectAttemptFailed).ServerReference);
        h.Advance(h.Engine.PollTimeout() - h.Now);
        open = LastOpen(h);
        Assert.Null(open.ServerReference);
        Assert.Equal(1, open.Server);
    }

    [Fact]
    public void A_followed_CONNACK_refusal_with_a_Server_Reference_is_retried_there_not_failed()
    {
        EngineHarness h = Harness(1, follow: true);
        object caller = new();
        h.Do((e, now) => e.Connect(caller, now));
        h.Open();
        h.Do((e, now) => e.HandleConnAck(e.Link, false, 0x9C, new ConnAckTerms { ServerReference = "other:1884" }, now));
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
        Assert.Empty(h.TerminalEventsFor(caller));

        h.Advance(h.Engine.PollTimeout() - h.Now);
        Assert.Equal("other:1884", LastOpen(h).ServerReference);
        h.Open();
        h.ConnAck();
        Assert.Equal(EventKind.ConnectCompleted, Assert.Single(h.TerminalEventsFor(caller)).Kind);
        Assert.Equal("other:1884", h.Events.Last(e => e.Kind == EventKind.LinkUp).ServerReference);
    }

    [Fact]
    public void Without_following_a_CONNACK_Use_another_server_refusal_fails_the_first_connect()
    {
        EngineHarness h = Harness(1);
        object caller = new();
        h.Do((e, now) => e.Connect(caller, now));
        h.Open();
        h.Do((e, now) => e.HandleConnAck(e.Link, false, 0x9C, new ConnAckTerms { ServerReference = "other:1884" }, now));
        Assert.Equal(EventKind.ConnectFailed, Assert.Single(h.TerminalEventsFor(caller)).Kind);
    }

    [Fact]
    public void ServerCount_below_one_is_refused_with_a_clear_message()
    {
        var options = new EngineOptions { ServerCount = 0 };
        ArgumentException error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("ServerCount", error.Message);
    }
}
