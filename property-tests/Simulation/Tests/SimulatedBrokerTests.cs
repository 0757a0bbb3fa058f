using System.Net.Sockets;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.PropertyTests.Simulation.Broker;
using StateMachineMqtt.PropertyTests.Simulation.Network;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Simulation.Tests;

/// <summary>The broker's normal behaviour, driven by hand-written packets through the simulated transport.</summary>
public sealed class SimulatedBrokerTests : IAsyncLifetime
{
    private static readonly MqttQualityOfService Qos0 = MqttQualityOfService.AtMostOnce;
    private static readonly MqttQualityOfService Qos1 = MqttQualityOfService.AtLeastOnce;
    private readonly SimulationWorld _world = new(seed: 1);

    private SimulatedBroker Broker => _world.Broker;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        Assert.Empty(Broker.InternalErrors);
        await _world.DisposeAsync();
    }

    [Fact]
    public void Connect_is_answered_with_an_accepted_CONNACK_and_both_directions_are_recorded()
    {
        _world.RunFor(TimeSpan.FromSeconds(2));

        (RawMqttPeer _, ConnAckPacket connAck) = RawMqttPeer.Connect(_world, "alice");

        Assert.Equal(new ConnAckPacket(false, ConnectReturnCode.Accepted), connAck);
        Assert.True(Broker.IsConnected("alice"));
        PacketRecord received = Assert.Single(Broker.ReceivedFrom("alice"));
        Assert.Equal(MqttPacketType.Connect, received.Type);
        Assert.Equal(TimeSpan.FromSeconds(2), received.At);
        Assert.Equal(1, received.LinkId);
        Assert.Equal(MqttPacketType.ConnAck, Assert.Single(Broker.SentTo("alice")).Type);
        Assert.Empty(Broker.Violations);
    }

    [Fact]
    public void Subscribe_grants_at_most_QoS_1_and_rejects_configured_or_invalid_filters()
    {
        Broker.Faults.RejectSubscriptionsTo("secret/#");
        (RawMqttPeer peer, _) = RawMqttPeer.Connect(_world, "alice");

        peer.Send(new SubscribePacket(7, [new("a/+/c", Qos0), new("b/#", MqttQualityOfService.ExactlyOnce), new("secret/#", Qos1)]));

        SubAckPacket subAck = peer.Expect<SubAckPacket>();
        Assert.Equal(7, subAck.PacketId);
        Assert.Equal([0x00, 0x01, SubAckPacket.Failure], subAck.ReturnCodes);
        Assert.Equal(["a/+/c", "b/#"], Broker.SubscriptionsOf("alice").Keys.Order());
        Assert.Empty(Broker.Violations);
    }

    [Fact]
    public void Publish_QoS_1_is_acknowledged_accepted_and_routed_by_wildcard_at_the_granted_QoS()
    {
        (RawMqttPeer alice, _) = RawMqttPeer.Connect(_world, "alice");
        (RawMqttPeer bob, _) = RawMqttPeer.Connect(_world, "bob");
        bob.Send(new SubscribePacket(1, [new("sensors/+/temp", Qos1), new("sensors/#", Qos0)]));
        bob.Expect<SubAckPacket>();

        alice.Send(new PublishPacket("sensors/kitchen/temp", new byte[] { 21 }, Qos1, Retain: false, Dup: false, PacketId: 5));
        alice.Send(new PublishPacket("sensors/kitchen/humidity", new byte[] { 40 }, Qos1, Retain: false, Dup: false, PacketId: 6));
        alice.Send(new PublishPacket("other", new byte[] { 1 }, Qos0, Retain: false, Dup: false, PacketId: 0));

        Assert.Equal(new PubAckPacket(5), alice.Expect<PubAckPacket>());
        Assert.Equal(new PubAckPacket(6), alice.Expect<PubAckPacket>());
        alice.ExpectNothing();
        PublishPacket temp = bob.Expect<PublishPacket>();
        Assert.Equal(("sensors/kitchen/temp", Qos1, false), (temp.Topic, temp.QualityOfService, temp.Dup));
        Assert.NotEqual(0, temp.PacketId);
        PublishPacket humidity = bob.Expect<PublishPacket>();
        Assert.Equal(("sensors/kitchen/humidity", Qos0, (ushort)0), (humidity.Topic, humidity.QualityOfService, humidity.PacketId));
        bob.ExpectNothing();
        AcceptedMessage accepted = Assert.Single(Broker.AcceptedOn("sensors/kitchen/temp"));
        Assert.Equal(("alice", (ushort)5, (byte)21), (accepted.ClientId, accepted.PacketId, accepted.Payload.Span[0]));
        Assert.Equal(3, Broker.Accepted.Count);
        Assert.Equal(1, Broker.HeldMessageCount("bob"));

        bob.Send(new PubAckPacket(temp.PacketId));
        Assert.Equal(0, Broker.HeldMessageCount("bob"));
        Assert.Empty(Broker.Violations);
    }

    [Fact]
    public void Unsubscribe_is_acknowledged_and_stops_delivery()
    {
        (RawMqttPeer peer, _) = RawMqttPeer.Connect(_world, "alice");
        peer.Send(new SubscribePacket(1, [new("t", Qos0)]));
        peer.Expect<SubAckPacket>();

        peer.Send(new UnsubscribePacket(2, ["t"]));
        Broker.Publish("t", new byte[] { 1 }, Qos0);

        Assert.Equal(new UnsubAckPacket(2), peer.Expect<UnsubAckPacket>());
        peer.ExpectNothing();
        Assert.Empty(Broker.SubscriptionsOf("alice"));
    }

    [Fact]
    public void Pingreq_gets_pingresp_and_disconnect_makes_the_broker_close_the_link_without_the_will()
    {
        (RawMqttPeer watcher, _) = RawMqttPeer.Connect(_world, "watcher");
        watcher.Send(new SubscribePacket(1, [new("wills/#", Qos1)]));
        watcher.Expect<SubAckPacket>();
        RawMqttPeer peer = RawMqttPeer.Open(_world, "alice");
        peer.Send(new ConnectPacket("alice", true, 60, Will: new MqttWill("wills/alice", new byte[] { 0 }, Qos1, false)));
        peer.Expect<ConnAckPacket>();

        peer.Send(PingReqPacket.Instance);
        peer.Expect<PingRespPacket>();
        peer.Send(DisconnectPacket.Instance);

        Assert.True(peer.EndOfStream);
        Assert.False(Broker.IsConnected("alice"));
        watcher.ExpectNothing();
    }

    [Fact]
    public void Link_lost_without_disconnect_publishes_the_will()
    {
        (RawMqttPeer watcher, _) = RawMqttPeer.Connect(_world, "watcher");
        watcher.Send(new SubscribePacket(1, [new("wills/#", Qos1)]));
        watcher.Expect<SubAckPacket>();
        RawMqttPeer peer = RawMqttPeer.Open(_world, "alice");
        peer.Send(new ConnectPacket("alice", true, 60, Will: new MqttWill("wills/alice", new byte[] { 0 }, Qos1, false)));
        peer.Expect<ConnAckPacket>();

        peer.Link.Reset();
        _world.RunUntilIdle();

        Assert.Equal("wills/alice", watcher.Expect<PublishPacket>().Topic);
    }

    [Fact]
    public void Persistent_session_keeps_subscriptions_and_queues_QoS_1_while_offline()
    {
        (RawMqttPeer first, ConnAckPacket firstAck) = RawMqttPeer.Connect(_world, "dev", cleanSession: false);
        first.Send(new SubscribePacket(1, [new("cmd/#", Qos1)]));
        first.Expect<SubAckPacket>();
        first.Send(DisconnectPacket.Instance);

        Broker.Publish("cmd/reboot", new byte[] { 1 });
        Broker.Publish("cmd/update", new byte[] { 2 });
        Assert.Equal(2, Broker.HeldMessageCount("dev"));
        (RawMqttPeer second, ConnAckPacket secondAck) = RawMqttPeer.Connect(_world, "dev", cleanSession: false);

        Assert.False(firstAck.SessionPresent);
        Assert.True(secondAck.SessionPresent);
        Assert.Equal(["cmd/reboot", "cmd/update"], [second.Expect<PublishPacket>().Topic, second.Expect<PublishPacket>().Topic]);
        Assert.Contains("cmd/#", Broker.SubscriptionsOf("dev").Keys);
    }

    [Fact]
    public void Unacknowledged_QoS_1_to_the_client_is_resent_with_DUP_and_the_same_id_on_reconnect()
    {
        (RawMqttPeer first, _) = RawMqttPeer.Connect(_world, "dev", cleanSession: false);
        first.Send(new SubscribePacket(1, [new("cmd", Qos1)]));
        first.Expect<SubAckPacket>();
        Broker.Publish("cmd", new byte[] { 1 });
        PublishPacket original = first.Expect<PublishPacket>();
        first.Link.Reset();
        _world.RunUntilIdle();

        (RawMqttPeer second, _) = RawMqttPeer.Connect(_world, "dev", cleanSession: false);
        PublishPacket resent = second.Expect<PublishPacket>();

        Assert.False(original.Dup);
        Assert.True(resent.Dup);
        Assert.Equal(original.PacketId, resent.PacketId);
        second.Send(new PubAckPacket(resent.PacketId));
        Assert.Equal(0, Broker.HeldMessageCount("dev"));
    }

    [Fact]
    public void Clean_session_discards_the_previous_session()
    {
        (RawMqttPeer first, _) = RawMqttPeer.Connect(_world, "dev", cleanSession: false);
        first.Send(new SubscribePacket(1, [new("cmd", Qos1)]));
        first.Expect<SubAckPacket>();
        first.Send(DisconnectPacket.Instance);
        Broker.Publish("cmd", new byte[] { 1 });

        (RawMqttPeer second, ConnAckPacket ack) = RawMqttPeer.Connect(_world, "dev", cleanSession: true);
        second.Send(DisconnectPacket.Instance);

        Assert.False(ack.SessionPresent);
        second.ExpectNothing();
        Assert.DoesNotContain("dev", Broker.SessionClientIds);
    }

    [Fact]
    public void Second_connect_with_the_same_client_id_takes_over_and_closes_the_old_link()
    {
        (RawMqttPeer old, _) = RawMqttPeer.Connect(_world, "dev", cleanSession: false);

        (RawMqttPeer newer, ConnAckPacket ack) = RawMqttPeer.Connect(_world, "dev", cleanSession: false);

        Assert.True(ack.SessionPresent);
        Assert.True(old.EndOfStream);
        Assert.Equal(LinkState.Closed, old.Link.State);
        Assert.Equal(LinkState.Open, newer.Link.State);
        Assert.True(Broker.IsConnected("dev"));
        Assert.Empty(Broker.Violations);
    }

    [Fact]
    public void Empty_client_id_with_a_clean_session_gets_a_generated_one()
    {
        RawMqttPeer clean = RawMqttPeer.Open(_world);
        clean.Send(new ConnectPacket("", true, 60));

        Assert.Equal(ConnectReturnCode.Accepted, clean.Expect<ConnAckPacket>().ReturnCode);
        Assert.Contains("auto-1", Broker.SessionClientIds);
        Assert.Equal(MqttPacketType.Connect, Assert.Single(Broker.ReceivedFrom("auto-1")).Type);
    }

    [Fact]
    public void Malformed_bytes_are_a_violation_and_the_broker_closes_the_link()
    {
        (RawMqttPeer peer, _) = RawMqttPeer.Connect(_world, "alice");

        peer.SendBytes([0xF0, 0x00]);

        Assert.True(peer.EndOfStream);
        Assert.Equal(ProtocolViolationKind.MalformedPacket, Assert.Single(Broker.Violations).Kind);
    }

    [Fact]
    public void Same_seed_and_steps_give_the_same_log()
    {
        static string Run()
        {
            var world = new SimulationWorld(seed: 42);
            (RawMqttPeer peer, _) = RawMqttPeer.Connect(world, "a");
            peer.Send(new SubscribePacket(1, [new("t", Qos1)]));
            world.RunFor(TimeSpan.FromSeconds(world.Random.Next(1, 10)));
            world.Broker.Publish("t", new byte[] { 1 });
            peer.Link.MakeHalfOpen();
            peer.Send(PingReqPacket.Instance);
            world.RunFor(TimeSpan.FromSeconds(5));
            return world.Log.ToString();
        }

        string first = Run();

        Assert.Equal(first, Run());
        Assert.Contains("half-open", first, StringComparison.Ordinal);
    }
}
