using System.Net.Sockets;
using StateMachineMqtt.PropertyTests.Simulation.Network;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>
/// #13 item 1 and 2, as a user meets them: a refused port says so. A ConnectAsync ended by its token names the server,
/// the time, the attempts and the last error; every failed attempt is an event with its reason and the delay before the
/// next; Statistics tells failed attempts from lost links; and a first connect bounded by time or attempts fails with
/// the cause, as mosquitto_pub does.
/// </summary>
public sealed class ConnectFailureScenarios
{
    [Fact]
    public void A_ConnectAsync_cancelled_by_its_token_names_the_server_the_attempts_and_the_last_error()
    {
        var s = new Scenario(31);
        s.World.Network.ConnectFault = ConnectFault.Refused;
        using var cts = new CancellationTokenSource();
        Task connect = s.Start(c => c.ConnectAsync(cts.Token));
        s.RunFor(TimeSpan.FromSeconds(10));
        cts.Cancel();
        s.RunFor(TimeSpan.FromSeconds(1));

        Assert.True(connect.IsCanceled, "a cancelled wait is a cancelled task, as .NET callers expect");
        var e = Assert.ThrowsAny<OperationCanceledException>(() => connect.GetAwaiter().GetResult());
        Assert.Equal(cts.Token, e.CancellationToken);
        Assert.Contains($"{s.Options.Server}:{s.Options.EffectivePort}", e.Message, StringComparison.Ordinal);
        Assert.Matches(@"after 1\d\.\d s and \d+ attempts", e.Message);
        Assert.Contains("ConnectionRefused", e.Message, StringComparison.Ordinal);
        var socket = Assert.IsType<SocketException>(e.InnerException);
        Assert.Equal(SocketError.ConnectionRefused, socket.SocketErrorCode);
    }

    [Fact]
    public void A_ConnectAsync_cancelled_before_any_answer_says_no_attempt_failed_yet()
    {
        var s = new Scenario(32, o => o.ResponseTime = TimeSpan.FromSeconds(30));
        s.World.Network.ConnectFault = ConnectFault.Blackholed;
        using var cts = new CancellationTokenSource();
        Task connect = s.Start(c => c.ConnectAsync(cts.Token));
        s.RunFor(TimeSpan.FromSeconds(3));
        cts.Cancel();
        s.RunFor(TimeSpan.FromSeconds(1));

        var e = Assert.ThrowsAny<OperationCanceledException>(() => connect.GetAwaiter().GetResult());
        Assert.Contains("1 attempt;", e.Message, StringComparison.Ordinal);
        Assert.Contains("no attempt has failed yet", e.Message, StringComparison.Ordinal);
        Assert.Null(e.InnerException);
    }

    [Fact]
    public void Every_failed_attempt_raises_ConnectionChanged_with_its_reason_number_and_retry_delay()
    {
        var s = new Scenario(33);
        s.World.Network.ConnectFault = ConnectFault.Refused;
        _ = s.Start(c => c.ConnectAsync());
        s.RunFor(TimeSpan.FromSeconds(20));

        var failures = s.Events.Select(x => x.Event).Where(x => x.Change == MqttConnectionChange.AttemptFailed).ToList();
        Assert.True(failures.Count >= 3, s.Describe());
        Assert.Equal(Enumerable.Range(1, failures.Count), failures.Select(f => f.Attempt));
        Assert.All(failures, f =>
        {
            Assert.False(f.IsConnected);
            Assert.Contains("ConnectionRefused", f.Reason, StringComparison.Ordinal);
            Assert.IsType<SocketException>(f.Exception);
            Assert.NotNull(f.RetryDelay);
            Assert.InRange(f.RetryDelay!.Value, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(8));
        });

        // Failed attempts are not lost links.
        Assert.Equal(failures.Count, s.Client.Statistics.ConnectAttemptsFailed);
        Assert.Equal(0, s.Client.Statistics.LinksLost);
    }

    [Fact]
    public void A_lost_link_is_counted_apart_from_failed_attempts_and_its_event_says_when_the_client_retries()
    {
        var s = new Scenario(34);
        s.Connect();
        s.World.Network.ConnectFault = ConnectFault.Refused;
        s.World.Network.ResetAllLinks();
        s.RunFor(TimeSpan.FromSeconds(5));

        var lost = Assert.Single(s.Events, x => x.Event.Change == MqttConnectionChange.LinkLost).Event;
        Assert.NotNull(lost.RetryDelay);
        Assert.Equal(1, s.Client.Statistics.LinksLost);
        Assert.True(s.Client.Statistics.ConnectAttemptsFailed >= 1);
        Assert.Equal(s.Events.Count(x => x.Event.Change == MqttConnectionChange.AttemptFailed), s.Client.Statistics.ConnectAttemptsFailed);
    }

    [Fact]
    public void A_first_connect_bounded_by_time_fails_with_the_cause_when_the_bound_ends()
    {
        var s = new Scenario(35, o => o.FirstConnectTimeout = TimeSpan.FromSeconds(5));
        s.World.Network.ConnectFault = ConnectFault.Refused;
        Task connect = s.Start(c => c.ConnectAsync());
        s.RunFor(TimeSpan.FromSeconds(4.9));
        Assert.False(connect.IsCompleted);
        s.RunFor(TimeSpan.FromSeconds(0.2));

        Assert.True(connect.IsFaulted, s.Describe());
        var e = Assert.IsType<MqttConnectException>(connect.Exception!.InnerException);
        Assert.Contains($"Could not connect to {s.Options.Server}:{s.Options.EffectivePort}", e.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionRefused", e.Message, StringComparison.Ordinal);
        Assert.Contains("FirstConnectTimeout (5 s)", e.Message, StringComparison.Ordinal);
        Assert.IsType<SocketException>(e.InnerException);
        Assert.False(s.Client.IsConnected);

        // Given up means stopped: no further attempts.
        int attempts = s.World.Network.ConnectAttempts;
        s.RunFor(TimeSpan.FromSeconds(60));
        Assert.Equal(attempts, s.World.Network.ConnectAttempts);
    }

    [Fact]
    public void A_first_connect_bounded_by_attempts_fails_after_the_last_one_without_waiting()
    {
        var s = new Scenario(36, o => o.FirstConnectAttempts = 2);
        s.World.Network.ConnectFault = ConnectFault.Refused;
        Task connect = s.Start(c => c.ConnectAsync());
        s.RunFor(TimeSpan.FromSeconds(10));

        var e = Assert.IsType<MqttConnectException>(connect.Exception?.InnerException);
        Assert.Contains("FirstConnectAttempts (2)", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, s.World.Network.ConnectAttempts);
        var last = s.Events.Select(x => x.Event).Last(x => x.Change == MqttConnectionChange.AttemptFailed);
        Assert.Equal(2, last.Attempt);
        Assert.Null(last.RetryDelay);
    }

    [Fact]
    public void Once_connected_the_first_connect_bound_does_not_stop_reconnecting()
    {
        var s = new Scenario(37, o => { o.FirstConnectTimeout = TimeSpan.FromSeconds(2); o.FirstConnectAttempts = 1; });
        s.Connect();
        s.World.Network.ConnectFault = ConnectFault.Refused;
        s.World.Network.ResetAllLinks();
        s.RunFor(TimeSpan.FromSeconds(60));
        Assert.True(s.World.Network.ConnectAttempts > 3);
        s.World.Network.ConnectFault = ConnectFault.None;
        Assert.True(s.RunUntil(() => s.Client.IsConnected, TimeSpan.FromSeconds(10)), s.Describe());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_first_connect_bound_that_cannot_work_is_refused_at_construction(int seconds)
    {
        var options = new MqttClientOptions { ClientId = "c", FirstConnectTimeout = TimeSpan.FromSeconds(seconds) };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MqttClient(options));
        Assert.Contains("FirstConnectTimeout must be positive", e.Message, StringComparison.Ordinal);
        options = new MqttClientOptions { ClientId = "c", FirstConnectAttempts = seconds };
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new MqttClient(options));
        Assert.Contains("FirstConnectAttempts must be at least 1", e.Message, StringComparison.Ordinal);
    }
}
