using System.Net.Sockets;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.PropertyTests.Simulation.Broker;
using StateMachineMqtt.PropertyTests.Simulation.Network;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Simulation.Tests;

/// <summary>The broker's fault knobs.</summary>
public sealed class BrokerFaultTests : IAsyncLifetime
{
    private readonly SimulationWorld _world = new(seed: 2);

    private SimulatedBroker Broker => _world.Broker;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        Assert.Empty(Broker.InternalErrors);
        await _world.DisposeAsync();
    }

    [Fact]
    public void Refused_connects_get_the_chosen_code_and_a_closed_link_for_the_set_count()
    {
        Broker.Faults.RefuseConnects(ConnectReturnCode.NotAuthorized, count: 2);

        (RawMqttPeer first, ConnAckPacket a) = RawMqttPeer.Connect(_world, "dev");
        (RawMqttPeer _, ConnAckPacket b) = RawMqttPeer.Connect(_world, "dev");
        (RawMqttPeer _, ConnAckPacket c) = RawMqttPeer.Connect(_world, "dev");

        Assert.Equal([ConnectReturnCode.NotAuthorized, ConnectReturnCode.NotAuthorized, ConnectReturnCode.Accepted], [a.ReturnCode, b.ReturnCode, c.ReturnCode]);
        Assert.True(first.EndOfStream);
        Assert.Equal(3, _world.Network.LinksOpened);
    }

    [Fact]
    public void Refusing_with_Accepted_is_rejected_with_a_clear_message()
    {
        var error = Assert.Throws<ArgumentException>(() => Broker.Faults.RefuseConnects(ConnectReturnCode.Accepted));

        Assert.Contains("ClearConnectFaults", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ignored_connect_gets_no_answer_and_a_packet_sent_anyway_is_an_I3_violation()
    {
        Broker.Faults.IgnoreConnects(count: 1);
        RawMqttPeer peer = RawMqttPeer.Open(_world, "dev");

        peer.Send(new ConnectPacket("dev", true, 60));
        _world.RunFor(TimeSpan.FromSeconds(30));
        peer.ExpectNothing();
        peer.Send(PingReqPacket.Instance);

        peer.ExpectNothing();
        ProtocolViolation violation = Assert.Single(Broker.Violations);
        Assert.Equal((ProtocolViolationKind.PacketBeforeConnAck, "dev", 1), (violation.Kind, violation.ClientId, violation.LinkId));
        Assert.Equal(TimeSpan.FromSeconds(30), violation.At);
    }

    [Fact]
    public void Dropped_outgoing_CONNACK_makes_later_packets_violations_though_the_broker_serves_them()
    {
        Broker.Faults.DropOutgoing(MqttPacketType.ConnAck);
        RawMqttPeer peer = RawMqttPeer.Open(_world, "dev");

        peer.Send(new ConnectPacket("dev", true, 60));
        peer.Send(new SubscribePacket(1, [new("t", MqttQualityOfService.AtLeastOnce)]));

        peer.Expect<SubAckPacket>();
        Assert.Equal([true, false], Broker.SentTo("dev").Select(r => r.Dropped));
        Assert.Equal(ProtocolViolationKind.PacketBeforeConnAck, Assert.Single(Broker.Violations).Kind);
    }

    [Fact]
    public void Dropped_incoming_pingreq_is_recorded_as_dropped_and_unanswered_once()
    {
        (RawMqttPeer peer, _) = RawMqttPeer.Connect(_world, "dev");
        Broker.Faults.DropIncoming(MqttPacketType.PingReq);

        peer.Send(PingReqPacket.Instance);
        peer.ExpectNothing();
        peer.Send(PingReqPacket.Instance);

        peer.Expect<PingRespPacket>();
        Assert.Equal([false, true, false], Broker.ReceivedFrom("dev").Select(r => r.Dropped));
    }

    [Fact]
    public void Dropped_incoming_publish_is_not_accepted_and_its_DUP_resend_is_legitimate()
    {
        (RawMqttPeer peer, _) = RawMqttPeer.Connect(_world, "dev");
        Broker.Faults.DropIncoming(MqttPacketType.Publish);
        var publish = new PublishPacket("t", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce, false, false, 3);

        peer.Send(publish);
        peer.ExpectNothing();
        peer.Send(publish with { Dup = true });

        Assert.Equal(new PubAckPacket(3), peer.Expect<PubAckPacket>());
        AcceptedMessage accepted = Assert.Single(Broker.AcceptedOn("t"));
        Assert.True(accepted.Dup);
        Assert.Empty(Broker.Violations);
    }

    [Fact]
    public void Dropped_puback_then_resend_without_DUP_is_an_I4_violation()
    {
        (RawMqttPeer peer, _) = RawMqttPeer.Connect(_world, "dev");
        Broker.Faults.DropOutgoing(MqttPacketType.PubAck);
        var publish = new PublishPacket("t", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce, false, false, 9);

        peer.Send(publish);
        peer.ExpectNothing();
        peer.Send(publish);

        peer.Expect<PubAckPacket>();
        Assert.Equal(ProtocolViolationKind.ResendWithoutDup, Assert.Single(Broker.Violations).Kind);
        Assert.Equal(2, Broker.AcceptedOn("t").Count);
    }

    [Fact]
    public void Duplicated_outgoing_suback_arrives_twice()
    {
        (RawMqttPeer peer, _) = RawMqttPeer.Connect(_world, "dev");
        Broker.Faults.DuplicateOutgoing(MqttPacketType.SubAck);

        peer.Send(new SubscribePacket(4, [new("t", MqttQualityOfService.AtLeastOnce)]));

        Assert.Equal(peer.Expect<SubAckPacket>().PacketId, peer.Expect<SubAckPacket>().PacketId);
        Assert.Equal(3, Broker.SentTo("dev").Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Restart_resets_every_link_and_keeps_or_loses_sessions(bool keepSessions)
    {
        (RawMqttPeer peer, _) = RawMqttPeer.Connect(_world, "dev", cleanSession: false);
        peer.Send(new SubscribePacket(1, [new("t", MqttQualityOfService.AtLeastOnce)]));
        peer.Expect<SubAckPacket>();

        Broker.Restart(keepSessions);
        _world.RunUntilIdle();
        (RawMqttPeer _, ConnAckPacket ack) = RawMqttPeer.Connect(_world, "dev", cleanSession: false);

        Assert.Equal(SocketError.ConnectionReset, Assert.IsType<SocketException>(peer.ReadError).SocketErrorCode);
        Assert.Equal(keepSessions, ack.SessionPresent);
        Assert.Equal(keepSessions, Broker.SubscriptionsOf("dev").ContainsKey("t"));
        Assert.Empty(Broker.Violations);
    }

    [Fact]
    public void Stopped_broker_refuses_connects_until_started()
    {
        (RawMqttPeer peer, _) = RawMqttPeer.Connect(_world, "dev");
        SimulatedTransport transport = _world.Network.CreateTransport("late");

        Broker.Stop();
        Task refused = _world.Start(() => transport.ConnectAsync(CancellationToken.None).AsTask());
        _world.RunUntilIdle();
        Broker.Start();
        RawMqttPeer.Connect(_world, "dev");

        Assert.Equal(SocketError.ConnectionRefused, Assert.IsType<SocketException>(refused.Exception?.InnerException).SocketErrorCode);
        Assert.IsType<SocketException>(peer.ReadError);
        Assert.True(Broker.IsConnected("dev"));
    }

    [Fact]
    public void Half_open_link_hides_the_publish_and_a_DUP_resend_after_reconnect_is_legitimate()
    {
        (RawMqttPeer first, _) = RawMqttPeer.Connect(_world, "dev", cleanSession: false);
        first.Link.MakeHalfOpen();
        var publish = new PublishPacket("t", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce, false, false, 1);
        first.Send(publish);
        Assert.Empty(Broker.AcceptedOn("t"));

        (RawMqttPeer second, _) = RawMqttPeer.Connect(_world, "dev", cleanSession: false);
        second.Send(publish with { Dup = true });

        second.Expect<PubAckPacket>();
        Assert.Single(Broker.AcceptedOn("t"));
        Assert.Empty(Broker.Violations);
    }
}
