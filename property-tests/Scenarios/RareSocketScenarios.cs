using StateMachineMqtt.Protocol;
using StateMachineMqtt.PropertyTests.Simulation.Network;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>Socket conditions that come rarely but do come: a write that would block, a send buffer that never drains, DNS failing later.</summary>
public class RareSocketScenarios
{
    [Fact]
    public void A_CONNECT_write_that_would_block_is_retried_and_the_link_comes_up()
    {
        var s = new Scenario(100);
        s.World.Network.WouldBlockFirstWriteOfNextLink = true;
        s.Connect();
        Assert.Contains(s.Transitions, t => t is { From: "AwaitingConnAck", Trigger: "SocketPending", To: "AwaitingConnAck" });
        Assert.Equal(1, s.World.Network.LinksOpened);
        s.AssertConformant();
    }

    [Fact]
    public void A_DISCONNECT_that_cannot_be_written_is_abandoned_after_the_response_time()
    {
        var s = new Scenario(101);
        s.Connect();
        s.World.Network.LastLink!.StallClientWrites();
        TimeSpan asked = s.Now;
        s.Await(s.Start(c => c.DisconnectAsync()), TimeSpan.FromSeconds(5));

        Assert.Equal(s.Options.ResponseTime, s.Now - asked);
        Assert.Contains(s.Transitions, t => t is { From: "Disconnecting", Trigger: "ResponseTimeout", To: "Closed" });
        Assert.False(s.Client.IsConnected);
        s.AssertConformant();
    }

    [Fact]
    public void Bad_input_while_disconnecting_closes_at_once()
    {
        var s = new Scenario(102);
        s.Connect();
        var link = s.World.Network.LastLink!;
        link.StallClientWrites();
        Task disconnect = s.Start(c => c.DisconnectAsync());
        s.World.RunUntilIdle();
        s.Await(s.World.Start(async () => await link.BrokerEnd.Output.WriteAsync(new byte[] { 0xF0, 0x00 })));
        s.Await(disconnect, TimeSpan.FromSeconds(1));

        Assert.Contains(s.Transitions, t => t is { From: "Disconnecting", Trigger: "ProtocolViolation", To: "Closed" });
        s.AssertConformant();
    }

    [Fact]
    public void A_DISCONNECT_that_cannot_be_written_closes_after_the_response_time_and_no_ping_follows_it()
    {
        // Once DISCONNECT is queued nothing may follow it [MQTT-3.14.4-2]: the keepalive stops (no PINGREQ) even though the
        // link stays silent for longer than a keepalive period; the response time closes it.
        var s = new Scenario(103, o =>
        {
            o.KeepAlive = TimeSpan.FromSeconds(2);
            o.ResponseTime = TimeSpan.FromSeconds(10);
        });
        s.Connect();
        s.World.Network.LastLink!.StallClientWrites();
        s.Await(s.Start(c => c.DisconnectAsync()), TimeSpan.FromSeconds(12));

        Assert.Contains(s.Transitions, t => t is { From: "Disconnecting", Trigger: "ResponseTimeout", To: "Closed" });
        Assert.DoesNotContain(s.Transitions, t => t is { From: "Disconnecting", Trigger: "KeepAliveExpired" });
        Assert.Contains(s.Transitions, t => t is { Machine: "KeepAlive", Trigger: "LinkDown", To: "Inactive" });
        s.AssertConformant();
    }

    [Fact]
    public void An_unknown_host_after_having_connected_is_an_outage_not_a_configuration_error()
    {
        // DNS fails with the Wi-Fi: the name existed a moment ago, so the client keeps trying.
        var s = new Scenario(104);
        s.Connect();
        s.World.Network.ConnectFault = ConnectFault.HostNotFound;
        s.World.Network.LastLink!.Reset();
        s.RunFor(TimeSpan.FromSeconds(10));
        Assert.Contains(s.Transitions, t => t is { From: "Connecting", Trigger: "ConfigurationError", To: "Backoff" });

        s.World.Network.ConnectFault = ConnectFault.None;
        Assert.True(s.RunUntil(() => s.Client.IsConnected, TimeSpan.FromSeconds(10)), s.Describe());
        s.Await(s.Start(c => c.PublishAsync("t", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce)));
        s.AssertConformant();
    }
}
