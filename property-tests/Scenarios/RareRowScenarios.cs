using System.Net.Sockets;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.PropertyTests.Simulation.Network;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>
/// Rows the other scenarios and the fault schedules rarely take: a write that would block while connected or
/// disconnecting, a caller cancelling a QoS 1 publish that is waiting to be re-sent, and a keepalive
/// tick that finds the link silent with no ping outstanding or its ping not yet due, and a packet before CONNACK.
/// </summary>
public class RareRowScenarios
{
    [Fact]
    public void A_write_that_would_block_while_connected_is_not_an_error_and_the_message_still_arrives()
    {
        var s = new Scenario(210);
        s.Connect();
        s.World.Network.LastLink!.FailNextClientWrite(SocketError.WouldBlock);
        s.Await(s.Start(c => c.PublishAsync("t", "x", MqttQualityOfService.AtLeastOnce)));
        Assert.Contains(s.Transitions, t => t.Machine == "Connection" && t.From == "Connected" && t.Trigger == "SocketPending");
        Assert.Single(s.World.Broker.AcceptedOn("t"));
        s.AssertConformant();
    }

    [Fact]
    public void A_write_that_would_block_while_disconnecting_still_closes()
    {
        var s = new Scenario(211);
        s.Connect();
        s.World.Network.LastLink!.FailNextClientWrite(SocketError.WouldBlock);
        s.Await(s.Start(c => c.DisconnectAsync()));
        Assert.Contains(s.Transitions, t => t.Machine == "Connection" && t.From == "Disconnecting" && t.Trigger == "SocketPending");
        Assert.False(s.Client.IsConnected);
        s.AssertConformant();
    }

    [Fact]
    public void Cancelling_a_QoS1_publish_awaiting_resend_detaches_the_caller_but_the_message_is_still_delivered()
    {
        var s = new Scenario(212);
        s.Connect();
        s.World.Broker.Faults.DropIncoming(MqttPacketType.Publish, 1);
        using var cts = new CancellationTokenSource();
        Task publish = s.Start(c => c.PublishAsync("t", "x", MqttQualityOfService.AtLeastOnce, cancellationToken: cts.Token));
        s.RunFor(TimeSpan.FromMilliseconds(100));
        s.World.Network.ConnectFault = ConnectFault.Refused;
        s.World.Network.ResetAllLinks();
        s.RunFor(TimeSpan.FromMilliseconds(100));
        cts.Cancel();
        s.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.Contains(s.Transitions, t => t.Machine == "Publish" && t.From == "Resend" && t.Trigger == "Cancel");
        Assert.IsAssignableFrom<OperationCanceledException>(Scenario.Failure(publish));
        s.World.Network.ConnectFault = ConnectFault.None;
        Assert.True(s.RunUntil(() => s.World.Broker.AcceptedOn("t").Count == 1 && s.Client.SnapshotHeldMessages().Count == 0, TimeSpan.FromMinutes(1)), s.Describe());
        s.AssertConformant();
    }

    [Fact]
    public void With_the_ping_interval_equal_to_keepalive_a_silent_link_is_declared_dead_before_any_ping()
    {
        var s = new Scenario(214, o => o.PingInterval = o.KeepAlive);
        s.Connect();
        s.World.Network.LastLink!.MakeHalfOpen();
        Assert.True(s.RunUntil(() => s.Events.Count == 2, TimeSpan.FromSeconds(60)), s.Describe());
        Assert.Contains("keepalive expired", s.Events[1].Event.Reason, StringComparison.Ordinal);
        Assert.Contains(s.Transitions, t => t.Machine == "KeepAlive" && t.From == "Idle" && t.Trigger == "Tick" && t.To == "Inactive");
        s.AssertConformant();
    }

    [Fact]
    public void A_packet_before_CONNACK_is_a_protocol_violation_that_closes_the_link_and_the_client_retries()
    {
        var s = new Scenario(215);
        s.World.Broker.Faults.IgnoreConnects(1);
        Task connect = s.Start(c => c.ConnectAsync());
        s.RunFor(TimeSpan.FromMilliseconds(100));
        SimulatedLink link = s.World.Network.LastLink!;
        s.Await(s.World.Start(async () => await link.BrokerEnd.Output.WriteAsync(new byte[] { 0xD0, 0x00 }))); // PINGRESP
        s.Await(connect);
        Assert.Contains(s.Transitions, t => t is { Machine: "Connection", From: "AwaitingConnAck", Trigger: "ProtocolViolation", To: "Backoff" });
        Assert.Equal(2, s.World.Network.LinksOpened);
        Assert.True(s.Client.IsConnected);
        s.AssertConformant();
    }

    [Fact]
    public void A_keepalive_tick_whose_ping_deadline_moved_with_later_traffic_re_arms_without_pinging()
    {
        // A receive re-arms for (last sent + ping interval) when the last send is the older; a send after it moves the
        // due ping later without re-arming, so the tick at the old deadline finds the ping not yet due.
        var s = new Scenario(216);
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("in", MqttQualityOfService.AtMostOnce)));
        s.RunFor(TimeSpan.FromSeconds(1));
        s.Await(s.Start(c => c.PublishAsync("t", "1")));
        s.RunFor(TimeSpan.FromSeconds(1));
        s.World.Broker.Publish("in", new byte[] { 1 }, MqttQualityOfService.AtMostOnce);
        TimeSpan receivedAt = s.Now;
        s.RunFor(TimeSpan.FromSeconds(1));
        s.Await(s.Start(c => c.PublishAsync("t", "2")));
        s.RunFor(s.Options.EffectivePingInterval);
        Assert.Contains(s.Transitions, t => t is { Machine: "KeepAlive", From: "Idle", Trigger: "Tick", To: "Idle" });
        Assert.DoesNotContain(s.World.Broker.ReceivedFrom(Scenario.ClientId), r => r.Packet is PingReqPacket && r.At < receivedAt + s.Options.EffectivePingInterval);
        s.AssertConformant();
    }
}
