using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>I5: a silently dead link is noticed within one keepalive period, whatever the client is doing.</summary>
public class KeepAliveScenarios
{
    private static TimeSpan LastReceivedBy(Scenario s, TimeSpan before) =>
        s.World.Broker.SentTo(Scenario.ClientId).Where(r => !r.Dropped && r.At <= before).Max(r => r.At);

    [Fact]
    public void An_idle_client_pings_every_ping_interval()
    {
        var s = new Scenario(40);
        s.Connect();
        s.RunFor(TimeSpan.FromSeconds(60));
        var pings = s.World.Broker.ReceivedFrom(Scenario.ClientId).Where(r => r.Packet is PingReqPacket).Select(r => r.At).ToList();
        Assert.InRange(pings.Count, 11, 12);
        Assert.All(pings.Zip(pings.Skip(1)), p => Assert.Equal(s.Options.EffectivePingInterval, p.Second - p.First));
        Assert.Equal(1, s.World.Network.LinksOpened);
        s.AssertConformant();
    }

    [Fact]
    public void A_half_open_link_is_declared_dead_one_keepalive_period_after_the_last_packet_received()
    {
        var s = new Scenario(41);
        s.Connect();
        s.RunFor(TimeSpan.FromSeconds(7));
        TimeSpan halfOpenAt = s.Now;
        s.World.Network.LastLink!.MakeHalfOpen();
        Assert.True(s.RunUntil(() => s.Events.Count == 2, TimeSpan.FromSeconds(60)), s.Describe());

        var (downAt, down) = s.Events[1];
        Assert.False(down.IsConnected);
        Assert.Contains("keepalive expired", down.Reason, StringComparison.Ordinal);
        Assert.Equal(LastReceivedBy(s, halfOpenAt) + s.Options.KeepAlive, downAt);
        Assert.True(s.RunUntil(() => s.Client.IsConnected, TimeSpan.FromSeconds(10)), s.Describe());
        s.AssertConformant();
    }

    [Fact]
    public void A_busy_publisher_on_a_half_open_link_is_told_too()
    {
        // MQTTnet pings only when nothing was *sent*, so a busy publisher never learns its link is dead (FIELD-NOTES).
        var s = new Scenario(42);
        s.Connect();
        s.World.Network.LastLink!.MakeHalfOpen();
        TimeSpan halfOpenAt = s.Now;
        for (int i = 0; i < 30 && s.Events.Count < 2; i++)
        {
            _ = s.Start(c => c.PublishAsync("busy", new byte[] { 1 }, MqttQualityOfService.AtMostOnce));
            s.RunFor(TimeSpan.FromSeconds(1));
        }

        Assert.True(s.Events.Count >= 2, s.Describe());
        Assert.True(s.Events[1].At - halfOpenAt <= s.Options.KeepAlive, s.Describe());
        s.AssertConformant();
    }

    [Fact]
    public void A_client_that_only_receives_still_sends_a_packet_every_ping_interval()
    {
        // [MQTT-3.1.2-23]: the broker hangs up after 1.5 x keepalive without a packet from the client.
        var s = new Scenario(43);
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("feed", MqttQualityOfService.AtMostOnce)));
        for (int i = 0; i < 60; i++)
        {
            s.World.Broker.Publish("feed", new byte[] { 1 }, MqttQualityOfService.AtMostOnce);
            s.RunFor(TimeSpan.FromSeconds(1));
        }

        var fromClient = s.World.Broker.ReceivedFrom(Scenario.ClientId).Select(r => r.At).ToList();
        TimeSpan longestSilence = fromClient.Zip(fromClient.Skip(1)).Max(p => p.Second - p.First);
        Assert.True(longestSilence <= s.Options.EffectivePingInterval, $"client silent for {longestSilence}");
        Assert.Equal(1, s.World.Network.LinksOpened);
        s.AssertConformant();
    }

    [Fact]
    public void A_link_lost_while_a_ping_is_outstanding_stops_the_keepalive_and_the_next_link_starts_it_afresh()
    {
        var s = new Scenario(45);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PingResp, 1);
        s.RunFor(s.Options.EffectivePingInterval + TimeSpan.FromMilliseconds(100));
        Assert.Single(s.World.Broker.ReceivedFrom(Scenario.ClientId), r => r.Packet is PingReqPacket);

        s.World.Network.LastLink!.Reset();
        Assert.True(s.RunUntil(() => s.Client.IsConnected && s.World.Network.LinksOpened == 2, TimeSpan.FromSeconds(10)), s.Describe());
        Assert.Contains(s.Transitions, t => t is { Machine: "KeepAlive", From: "PingOutstanding", Trigger: "LinkDown", To: "Inactive" });
        // The next link pings a whole interval after its CONNACK, not at the old link's schedule.
        TimeSpan upAt = s.Now;
        s.RunFor(s.Options.EffectivePingInterval + TimeSpan.FromMilliseconds(100));
        Assert.Equal(upAt + s.Options.EffectivePingInterval, s.World.Broker.ReceivedFrom(Scenario.ClientId).Last(r => r.Packet is PingReqPacket).At);
        s.AssertConformant();
    }

    [Fact]
    public void Lost_PINGRESPs_alone_do_not_kill_a_link_that_delivers_other_packets()
    {
        var s = new Scenario(44);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PingResp, 1000);
        for (int i = 0; i < 12; i++)
        {
            s.Await(s.Start(c => c.PublishAsync("t", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce)));
            s.RunFor(TimeSpan.FromSeconds(10));
        }

        Assert.Equal(1, s.World.Network.LinksOpened);
        s.AssertConformant();
    }
}
