using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Engine;

/// <summary>
/// #13: the first connect's bound (FirstConnectAttempts, FirstConnectTimeoutMs) — a tool such as smqtt pub gives up and
/// says why, as mosquitto_pub does — and the ConnectAttemptFailed events that report every failed attempt on the way.
/// Without a bound (the default) transient errors are retried for as long as the caller waits.
/// </summary>
public sealed class EngineFirstConnectTests
{
    [Fact]
    public void Without_a_bound_a_refused_port_is_retried_and_every_attempt_is_reported_with_its_delay()
    {
        var h = new EngineHarness();
        var caller = new object();
        h.Do((e, now) => e.Connect(caller, now));
        for (int attempt = 1; attempt <= 20; attempt++)
        {
            h.LinkError(SocketErrorCode.ConnectionRefused);
            EngineEvent failed = h.Events.Last();
            Assert.Equal(EventKind.ConnectAttemptFailed, failed.Kind);
            Assert.Equal(attempt, failed.Attempt);
            Assert.True(failed.WillRetry);
            Assert.Equal(h.Engine.PollTimeout() - h.Now, failed.DelayMs);
            Assert.Equal((int)SocketErrorCode.ConnectionRefused, failed.SocketError);
            h.Advance(failed.DelayMs);
            Assert.Equal(ConnectionState.Connecting, h.Engine.State);
        }

        Assert.DoesNotContain(h.Events, e => e.Kind == EventKind.ConnectFailed);
        Assert.Equal(21, h.Engine.ConnectAttempts);
        Assert.Contains("ConnectionRefused", h.Engine.LastAttemptReason, StringComparison.Ordinal);
        Assert.Equal(20, h.Engine.Statistics.ConnectAttemptsFailed);
        Assert.Equal(0, h.Engine.Statistics.LinksLost);
    }

    [Fact]
    public void After_the_last_allowed_attempt_fails_the_connect_gives_up_at_once_with_that_attempts_error()
    {
        var h = new EngineHarness(o => o.FirstConnectAttempts = 3);
        var caller = new object();
        h.Do((e, now) => e.Connect(caller, now));
        h.LinkError(SocketErrorCode.ConnectionRefused);
        h.Advance(h.Events.Last().DelayMs);
        h.LinkError(SocketErrorCode.TimedOut);
        h.Advance(h.Events.Last().DelayMs);
        h.LinkError(SocketErrorCode.ConnectionRefused);

        // Nothing to wait for after the last attempt: the connect gives up in the same step, and says it will not retry.
        EngineEvent last = h.Events.Single(e => e.Kind == EventKind.ConnectAttemptFailed && e.Attempt == 3);
        Assert.False(last.WillRetry);
        EngineEvent failed = Assert.Single(h.Events, e => e.Kind == EventKind.ConnectFailed);
        Assert.Same(caller, failed.Caller);
        Assert.Equal(FailureKind.GaveUp, failed.Failure);
        Assert.Equal((int)SocketErrorCode.ConnectionRefused, failed.SocketError);
        Assert.Equal(-1, failed.ReturnCode);
        Assert.Contains("3 attempts", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("the last failed: connect failed: ConnectionRefused", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(ConnectionState.Closed, h.Engine.State);
        Assert.Equal(SessionEngine.Never, h.Engine.PollTimeout());
        Assert.Equal(3, h.Actions.Count(a => a.Kind == ActionKind.OpenLink));
    }

    [Fact]
    public void A_connect_that_never_answers_gives_up_when_the_time_bound_ends_not_after_the_response_time()
    {
        var h = new EngineHarness(o => { o.FirstConnectTimeoutMs = 1_200; o.ResponseTimeMs = 10_000; });
        var caller = new object();
        h.Do((e, now) => e.Connect(caller, now));
        h.Advance(1_199);
        Assert.Equal(ConnectionState.Connecting, h.Engine.State);
        Assert.DoesNotContain(h.Events, e => e.Kind == EventKind.ConnectFailed);
        h.Advance(1);
        EngineEvent failed = Assert.Single(h.Events, e => e.Kind == EventKind.ConnectFailed);
        Assert.Equal(FailureKind.GaveUp, failed.Failure);
        Assert.Contains("time bound (1200 ms)", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(ConnectionState.Closed, h.Engine.State);
        Assert.Equal(1_200, h.Now);
    }

    [Fact]
    public void A_reconnect_delay_does_not_wait_past_the_time_bound()
    {
        var h = new EngineHarness(o => { o.FirstConnectTimeoutMs = 700; o.BackoffInitialMs = 4_000; o.BackoffMaximumMs = 4_000; });
        h.Do((e, now) => e.Connect(new object(), now));
        h.Advance(100);
        h.LinkError(SocketErrorCode.ConnectionRefused);
        Assert.Equal(700, h.Engine.PollTimeout()); // not 2,100 to 4,100
        h.Advance(600);
        Assert.Equal(FailureKind.GaveUp, Assert.Single(h.Events, e => e.Kind == EventKind.ConnectFailed).Failure);
    }

    [Fact]
    public void A_retryable_refusal_that_uses_up_the_bound_is_reported_with_its_return_code()
    {
        var h = new EngineHarness(o => o.FirstConnectAttempts = 1);
        h.Do((e, now) => e.Connect(new object(), now));
        h.Open();
        h.ConnAck(returnCode: 3);
        EngineEvent failed = Assert.Single(h.Events, e => e.Kind == EventKind.ConnectFailed);
        Assert.Equal(FailureKind.GaveUp, failed.Failure);
        Assert.Equal(3, failed.ReturnCode);
        Assert.Contains("server unavailable (0x03)", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Once_connected_the_bound_no_longer_applies_and_outages_are_ridden_out()
    {
        var h = new EngineHarness(o => { o.FirstConnectAttempts = 1; o.FirstConnectTimeoutMs = 500; });
        h.Do((e, now) => e.Connect(new object(), now));
        h.Open();
        h.ConnAck();
        for (int i = 0; i < 10; i++)
        {
            h.LinkError(SocketErrorCode.NetworkUnreachable);
            h.Advance(h.Engine.PollTimeout() - h.Now);
            Assert.Equal(ConnectionState.Connecting, h.Engine.State);
        }

        Assert.DoesNotContain(h.Events, e => e.Kind == EventKind.ConnectFailed);
    }

    [Fact]
    public void A_fresh_Connect_after_giving_up_has_the_whole_bound_again()
    {
        var h = new EngineHarness(o => o.FirstConnectAttempts = 2);
        h.Do((e, now) => e.Connect(new object(), now));
        h.LinkError(SocketErrorCode.ConnectionRefused);
        h.Advance(h.Events.Last().DelayMs);
        h.LinkError(SocketErrorCode.ConnectionRefused);
        Assert.Equal(ConnectionState.Closed, h.Engine.State);

        int mark = h.EventMark();
        h.Do((e, now) => e.Connect(new object(), now));
        Assert.Equal(1, h.Engine.ConnectAttempts);
        Assert.Equal("", h.Engine.LastAttemptReason);
        h.LinkError(SocketErrorCode.ConnectionRefused);
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
        Assert.DoesNotContain(h.EventsSince(mark), e => e.Kind == EventKind.ConnectFailed);
        Assert.Equal(1, h.EventsSince(mark).Single(e => e.Kind == EventKind.ConnectAttemptFailed).Attempt);
    }

    [Theory]
    [InlineData(true, 5, 5, 0, 0, false)]
    [InlineData(false, 5, 5, 0, 0, true)]
    [InlineData(false, 4, 5, 0, 0, false)]
    [InlineData(false, 100, 0, 999, 1_000, false)]
    [InlineData(false, 100, 0, 1_000, 1_000, true)]
    [InlineData(false, 1, 0, 1_000_000, 0, false)]
    public void The_rule_gives_up_only_before_any_success_and_at_a_bound(bool hasConnected, int attempts, int maxAttempts, long elapsedMs, long timeoutMs, bool expected) =>
        Assert.Equal(expected, ConnectRules.FirstConnectBoundReached(hasConnected, attempts, maxAttempts, elapsedMs, timeoutMs));

    [Theory]
    [InlineData(3, true, 30_000, 30_000, false, 1)]
    [InlineData(3, true, 29_999, 30_000, false, 4)]
    [InlineData(3, true, 10, 30_000, true, 1)]
    [InlineData(3, false, 99_999, 30_000, true, 4)]
    [InlineData(30, false, 0, 30_000, false, 30)]
    public void The_backoff_attempt_starts_over_only_after_a_link_that_proved_itself(int attempt, bool linkWasUp, long upForMs, long stableMs, bool progressed, int expected) =>
        Assert.Equal(expected, ConnectRules.NextBackoffAttempt(attempt, linkWasUp, upForMs, stableMs, progressed));
}
