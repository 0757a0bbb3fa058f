using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.PropertyTests.Simulation.Network;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>DisconnectAsync, DisposeAsync and restarts: the client stops when asked and only then (I6, I7).</summary>
public class LifecycleScenarios
{
    [Fact]
    public void DisconnectAsync_sends_DISCONNECT_closes_and_stops_reconnecting()
    {
        var s = new Scenario(70);
        s.Connect();
        s.Await(s.Start(c => c.DisconnectAsync()));

        Assert.IsType<DisconnectPacket>(s.World.Broker.ReceivedFrom(Scenario.ClientId)[^1].Packet);
        Assert.False(s.Client.IsConnected);
        Assert.False(s.Events[^1].Event.IsConnected);
        s.RunFor(TimeSpan.FromMinutes(5));
        Assert.Equal(1, s.World.Network.LinksOpened);
        s.AssertConformant();
    }

    [Fact]
    public void DisconnectAsync_while_reconnecting_stops_and_fails_the_pending_ConnectAsync()
    {
        var s = new Scenario(71);
        s.World.Network.ConnectFault = ConnectFault.Refused;
        Task connect = s.Start(c => c.ConnectAsync());
        s.RunFor(TimeSpan.FromSeconds(5));
        s.Await(s.Start(c => c.DisconnectAsync()));
        Assert.IsAssignableFrom<OperationCanceledException>(Scenario.Failure(connect));
        int attempts = s.World.Network.ConnectAttempts;
        s.RunFor(TimeSpan.FromMinutes(1));
        Assert.Equal(attempts, s.World.Network.ConnectAttempts);
        s.AssertConformant();
    }

    [Fact]
    public void DisconnectAsync_while_a_connect_attempt_hangs_abandons_it_and_stops()
    {
        var s = new Scenario(73);
        s.World.Network.ConnectFault = ConnectFault.Blackholed; // the SYN goes unanswered: the attempt is still open
        Task connect = s.Start(c => c.ConnectAsync());
        s.RunFor(TimeSpan.FromMilliseconds(100));
        s.Await(s.Start(c => c.DisconnectAsync()));

        Assert.Contains(s.Transitions, t => t.Machine == "Connection" && t.From == "Connecting" && t.Trigger == "Disconnect" && t.To == "Closed");
        Assert.IsAssignableFrom<OperationCanceledException>(Scenario.Failure(connect));
        int attempts = s.World.Network.ConnectAttempts;
        s.World.Network.ConnectFault = ConnectFault.None;
        s.RunFor(TimeSpan.FromMinutes(1));
        Assert.Equal(attempts, s.World.Network.ConnectAttempts);
        Assert.False(s.Client.IsConnected);
        s.AssertConformant();
    }

    [Fact]
    public void ConnectAsync_after_DisconnectAsync_connects_again()
    {
        var s = new Scenario(72);
        s.Connect();
        s.Await(s.Start(c => c.DisconnectAsync()));
        s.Connect();
        Assert.True(s.Client.IsConnected);
        Assert.Equal(2, s.World.Network.LinksOpened);
        s.AssertConformant();
    }

    [Fact]
    public void Once_the_network_and_broker_stay_up_the_client_is_back_within_the_backoff_bound()
    {
        // I6: after any outage, reconnection takes at most the backoff maximum (8 s here) plus the connect round trip.
        var s = new Scenario(73);
        s.Connect();
        s.World.Broker.Stop();
        s.RunFor(TimeSpan.FromMinutes(2));
        Assert.False(s.Client.IsConnected);
        TimeSpan healedAt = s.Now;
        s.World.Broker.Start();
        Assert.True(s.RunUntil(() => s.Client.IsConnected, TimeSpan.FromSeconds(9)), s.Describe());
        Assert.True(s.Now - healedAt <= TimeSpan.FromSeconds(8), s.Describe());
        s.AssertConformant();
    }

    [Fact]
    public void After_dispose_every_call_fails_with_ObjectDisposedException()
    {
        var s = new Scenario(74);
        s.Connect();
        s.Await(s.Start(c => c.DisposeAsync().AsTask()));
        Assert.False(s.Client.IsConnected);
        Assert.IsType<ObjectDisposedException>(Scenario.Failure(s.Client.ConnectAsync()));
        Assert.IsType<ObjectDisposedException>(Scenario.Failure(s.Client.SubscribeAsync("a")));
        s.AssertConformant();
    }

    [Fact]
    public void Calls_before_the_first_ConnectAsync_fail_at_once_naming_the_call_to_make()
    {
        var s = new Scenario(75);

        foreach ((string method, Action call) in new (string, Action)[]
        {
            ("PublishAsync", () => s.Client.PublishAsync("t", "x", MqttQualityOfService.AtLeastOnce)),
            ("SubscribeAsync", () => s.Client.SubscribeAsync("t/#")),
            ("UnsubscribeAsync", () => s.Client.UnsubscribeAsync("t/#")),
            ("SubscribeStreamAsync", () => s.Client.SubscribeStreamAsync("t/#")),
        })
        {
            var error = Assert.Throws<InvalidOperationException>(call);
            Assert.Equal($"{method} was called before ConnectAsync: call ConnectAsync first. (After DisconnectAsync, calls are held for the next ConnectAsync.)", error.Message);
        }

        s.RunFor(TimeSpan.FromSeconds(10));
        Assert.Equal(0, s.World.Network.LinksOpened);
        Assert.Equal(0, s.Client.Statistics.Accepted);
    }

    [Fact]
    public void A_publish_after_DisconnectAsync_is_held_and_sent_on_the_next_ConnectAsync()
    {
        var s = new Scenario(76);
        s.Connect();
        s.Await(s.Start(c => c.DisconnectAsync()));
        var held = s.Start(c => c.PublishAsync("t", "later", MqttQualityOfService.AtLeastOnce));
        s.RunFor(TimeSpan.FromMinutes(1));
        Assert.False(held.IsCompleted);
        Assert.Empty(s.World.Broker.AcceptedOn("t"));

        s.Connect();
        s.Await(held);
        Assert.Equal(["later"], s.World.Broker.AcceptedOn("t").Select(m => System.Text.Encoding.UTF8.GetString(m.Payload.Span)));
        s.AssertConformant();
    }

    [Fact]
    public void DisconnectAsync_with_drain_waits_until_every_held_publish_is_acknowledged()
    {
        // The issue's case: 100 QoS 1 publishes, then disconnect and dispose. Without the drain 80 failed disposed.
        var s = new Scenario(77);
        s.Connect();
        var publishes = Enumerable.Range(0, 100).Select(i => s.Start(c => c.PublishAsync("t", i.ToString(System.Globalization.CultureInfo.InvariantCulture), MqttQualityOfService.AtLeastOnce))).ToList();
        s.Await(s.Start(c => c.DisconnectAsync(drain: true, CancellationToken.None)));
        s.Await(s.Start(c => c.DisposeAsync().AsTask()));

        Assert.All(publishes, p => Assert.True(p.IsCompletedSuccessfully, Scenario.Failure(p)?.Message));
        Assert.Equal(100, s.World.Broker.AcceptedOn("t").Count);
        Assert.IsType<DisconnectPacket>(s.World.Broker.ReceivedFrom(Scenario.ClientId)[^1].Packet);
    }

    [Fact]
    public void A_drain_cancelled_by_its_token_disconnects_nothing_and_the_messages_stay_held()
    {
        var s = new Scenario(78);
        s.Connect();
        s.World.Broker.Stop(keepSessions: true);
        s.RunUntil(() => !s.Client.IsConnected, TimeSpan.FromSeconds(120));
        var held = s.Start(c => c.PublishAsync("t", "held", MqttQualityOfService.AtLeastOnce));
        using var cancel = new CancellationTokenSource();
        var drain = s.Start(c => c.DisconnectAsync(drain: true, cancel.Token));
        s.RunFor(TimeSpan.FromSeconds(5));
        Assert.False(drain.IsCompleted);

        cancel.Cancel();
        s.RunFor(TimeSpan.FromMilliseconds(10));
        Assert.True(drain.IsCanceled);
        s.World.Broker.Start();
        Assert.True(s.RunUntil(() => held.IsCompletedSuccessfully, TimeSpan.FromSeconds(120)), s.Describe());
        Assert.True(s.Client.IsConnected);
    }

    [Fact]
    public void DrainAsync_does_not_wait_for_messages_published_after_it()
    {
        // A window of 1 sends "2" only once "1" is acknowledged; with 50 ms each way, "2" is then still on its way.
        var s = new Scenario(79, o => o.MaxInflight = 1);
        s.World.Network.LinkLatency = TimeSpan.FromMilliseconds(50);
        s.Connect();
        var first = s.Start(c => c.PublishAsync("t", "1", MqttQualityOfService.AtLeastOnce));
        var drain = s.Start(c => c.DrainAsync());
        var later = s.Start(c => c.PublishAsync("t", "2", MqttQualityOfService.AtLeastOnce));

        Assert.True(s.RunUntil(() => drain.IsCompleted, TimeSpan.FromSeconds(30)), s.Describe());
        Assert.True(first.IsCompletedSuccessfully);
        Assert.True(drain.IsCompletedSuccessfully);
        Assert.False(later.IsCompleted);
        Assert.True(s.RunUntil(() => later.IsCompletedSuccessfully, TimeSpan.FromSeconds(30)), s.Describe());
    }

    [Fact]
    public void A_drain_still_waiting_when_the_client_is_disposed_fails_with_ObjectDisposedException()
    {
        var s = new Scenario(80);
        s.Connect();
        s.World.Broker.Stop(keepSessions: true);
        s.RunUntil(() => !s.Client.IsConnected, TimeSpan.FromSeconds(120));
        _ = s.Start(c => c.PublishAsync("t", "held", MqttQualityOfService.AtLeastOnce));
        var drain = s.Start(c => c.DrainAsync());
        s.RunFor(TimeSpan.FromSeconds(1));
        s.Await(s.Start(c => c.DisposeAsync().AsTask()));

        Assert.IsType<ObjectDisposedException>(Scenario.Failure(drain));
    }
}
