using StateMachineMqtt.PropertyTests.Simulation.Network;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>
/// ConnectAsync, DisconnectAsync and DisposeAsync in every connection state: each takes its table row (a rejection,
/// a no-op or a close) and the client stays conformant. These exist so that every Connection row is taken for real.
/// </summary>
public class EveryStateApiScenarios
{
    [Fact]
    public void DisconnectAsync_before_any_connect_closes_and_a_second_one_and_dispose_are_harmless()
    {
        var s = new Scenario(200);
        s.Await(s.Start(c => c.DisconnectAsync()));
        s.Await(s.Start(c => c.DisconnectAsync()));
        s.Await(s.Start(c => c.DisposeAsync().AsTask()));
        AssertTook(s, "Idle", "Disconnect");
        AssertTook(s, "Closed", "Disconnect");
        AssertTook(s, "Closed", "Dispose");
        Assert.Equal(0, s.World.Network.ConnectAttempts);
        s.AssertConformant();
    }

    [Fact]
    public void DisposeAsync_before_any_connect_disposes()
    {
        var s = new Scenario(201);
        s.Await(s.Start(c => c.DisposeAsync().AsTask()));
        AssertTook(s, "Idle", "Dispose");
        Assert.IsType<ObjectDisposedException>(Scenario.Failure(s.Client.ConnectAsync()));
        s.AssertConformant();
    }

    [Fact]
    public void ConnectAsync_and_DisposeAsync_while_the_socket_is_still_connecting()
    {
        var s = new Scenario(202);
        s.World.Network.ConnectLatency = TimeSpan.FromSeconds(1);
        Task first = s.Start(c => c.ConnectAsync());
        s.RunFor(TimeSpan.FromMilliseconds(100));
        Task second = s.Start(c => c.ConnectAsync());
        s.RunFor(TimeSpan.FromMilliseconds(100));
        s.Await(s.Start(c => c.DisposeAsync().AsTask()));
        AssertTook(s, "Connecting", "Connect");
        AssertTook(s, "Connecting", "Dispose");
        Assert.NotNull(Scenario.Failure(first));
        s.AssertConformant();
    }

    [Fact]
    public void ConnectAsync_and_DisconnectAsync_while_awaiting_CONNACK()
    {
        var s = new Scenario(203);
        s.World.Broker.Faults.IgnoreConnects();
        Task first = s.Start(c => c.ConnectAsync());
        s.RunFor(TimeSpan.FromMilliseconds(100));
        Task second = s.Start(c => c.ConnectAsync());
        s.RunFor(TimeSpan.FromMilliseconds(100));
        s.Await(s.Start(c => c.DisconnectAsync()));
        AssertTook(s, "AwaitingConnAck", "Connect");
        AssertTook(s, "AwaitingConnAck", "Disconnect");
        Assert.NotNull(Scenario.Failure(first));
        s.AssertConformant();
    }

    [Fact]
    public void DisposeAsync_while_awaiting_CONNACK()
    {
        var s = new Scenario(204);
        s.World.Broker.Faults.IgnoreConnects();
        Task first = s.Start(c => c.ConnectAsync());
        s.RunFor(TimeSpan.FromMilliseconds(100));
        s.Await(s.Start(c => c.DisposeAsync().AsTask()));
        AssertTook(s, "AwaitingConnAck", "Dispose");
        Assert.NotNull(Scenario.Failure(first));
        s.AssertConformant();
    }

    [Fact]
    public void ConnectAsync_while_connected_or_backing_off()
    {
        var s = new Scenario(205);
        s.Connect();
        s.Await(s.Start(c => c.ConnectAsync()));
        AssertTook(s, "Connected", "Connect");
        s.World.Network.ConnectFault = ConnectFault.Refused;
        s.World.Network.ResetAllLinks();
        s.RunFor(TimeSpan.FromMilliseconds(100));
        Task during = s.Start(c => c.ConnectAsync());
        s.RunFor(TimeSpan.FromMilliseconds(100));
        AssertTook(s, "Backoff", "Connect");
        s.World.Network.ConnectFault = ConnectFault.None;
        s.Await(during);
        s.AssertConformant();
    }

    [Fact]
    public void ConnectAsync_DisconnectAsync_and_DisposeAsync_while_disconnecting()
    {
        var s = new Scenario(206);
        s.Connect();
        s.World.Network.LinkLatency = TimeSpan.FromSeconds(1);
        Task disconnect = s.Start(c => c.DisconnectAsync());
        Task connect = s.Start(c => c.ConnectAsync());
        Task again = s.Start(c => c.DisconnectAsync());
        Task dispose = s.Start(c => c.DisposeAsync().AsTask());
        s.Await(dispose);
        AssertTook(s, "Disconnecting", "Connect");
        AssertTook(s, "Disconnecting", "Disconnect");
        AssertTook(s, "Disconnecting", "Dispose");
        s.AssertConformant();
    }

    private static void AssertTook(Scenario s, string from, string trigger) =>
        Assert.True(
            s.Transitions.Exists(t => t.Machine == "Connection" && t.From == from && t.Trigger == trigger),
            $"expected Connection {from} --{trigger}--> to be taken; took:{Environment.NewLine}{string.Join(Environment.NewLine, s.Transitions)}{Environment.NewLine}{s.Describe()}");
}
