using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.PropertyTests.Simulation.Broker;
using StateMachineMqtt.Spec;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Simulation.Tests;

/// <summary>The violations the broker records about clients (I3, I4 and protocol basics).</summary>
public sealed class ConformanceViolationTests
{
    private readonly SimulationWorld _world = new(seed: 3);

    [Fact]
    public void Packet_before_CONNECT_is_reported_and_the_broker_ignores_it()
    {
        RawMqttPeer peer = RawMqttPeer.Open(_world, "dev");

        peer.Send(PingReqPacket.Instance);

        peer.ExpectNothing();
        ProtocolViolation violation = Assert.Single(_world.Broker.Violations);
        Assert.Equal((ProtocolViolationKind.PacketBeforeConnect, (string?)null), (violation.Kind, violation.ClientId));
        Assert.Equal(MqttPacketType.PingReq, Assert.Single(_world.Broker.ReceivedFrom(SimulatedBroker.UnidentifiedClient)).Type);
    }

    [Fact]
    public void Second_CONNECT_on_a_link_is_reported_and_closes_the_link()
    {
        (RawMqttPeer peer, _) = RawMqttPeer.Connect(_world, "dev");

        peer.Send(new ConnectPacket("dev", true, 60));

        Assert.True(peer.EndOfStream);
        Assert.Equal(ProtocolViolationKind.SecondConnect, Assert.Single(_world.Broker.Violations).Kind);
    }

    [Fact]
    public void A_packet_after_DISCONNECT_is_reported()
    {
        (RawMqttPeer peer, _) = RawMqttPeer.Connect(_world, "dev");

        peer.SendTogether(DisconnectPacket.Instance, new PubAckPacket(5));

        ProtocolViolation violation = Assert.Single(_world.Broker.Violations);
        Assert.Equal(ProtocolViolationKind.PacketAfterDisconnect, violation.Kind);
        Assert.Contains("MQTT-3.14.4-2", violation.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Under_MQTT_5_a_PUBLISH_or_PUBREL_sent_twice_on_one_link_is_reported_but_not_on_a_new_link()
    {
        (RawMqttPeer peer, ConnAckPacket connAck) = RawMqttPeer.Connect(_world, "dev", cleanSession: true, MqttProtocolVersion.V500);
        Assert.Equal(ConnectReturnCode.Accepted, connAck.ReturnCode);
        _world.Broker.Faults.DropOutgoing(MqttPacketType.PubAck, 1);
        var publish = new PublishPacket("t", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce, false, Dup: false, PacketId: 11);

        peer.Send(publish);
        peer.Send(publish with { Dup = true });

        ProtocolViolation violation = Assert.Single(_world.Broker.Violations);
        Assert.Equal(ProtocolViolationKind.ResendOnSameLink, violation.Kind);
        Assert.Contains("MQTT-4.4.0-1", violation.Detail, StringComparison.Ordinal);

        // Once PUBACK has ended the flow, the identifier may start a new message on the same link.
        peer.Send(publish with { Topic = "u" });
        Assert.Single(_world.Broker.Violations);
    }

    [Fact]
    public void Under_MQTT_3_1_1_a_re_send_with_DUP_on_the_same_link_is_allowed()
    {
        (RawMqttPeer peer, _) = RawMqttPeer.Connect(_world, "dev");
        _world.Broker.Faults.DropOutgoing(MqttPacketType.PubAck, 1);
        var publish = new PublishPacket("t", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce, false, Dup: false, PacketId: 11);

        peer.Send(publish);
        peer.Send(publish with { Dup = true });

        Assert.Empty(_world.Broker.Violations);
    }

    [Fact]
    public void DUP_on_a_first_send_is_reported()
    {
        (RawMqttPeer peer, _) = RawMqttPeer.Connect(_world, "dev");

        peer.Send(new PublishPacket("t", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce, false, Dup: true, PacketId: 11));

        ProtocolViolation violation = Assert.Single(_world.Broker.Violations);
        Assert.Equal(ProtocolViolationKind.DupOnFirstSend, violation.Kind);
        Assert.Contains("id 11", violation.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void DUP_resend_of_an_id_sent_on_an_earlier_link_of_a_persistent_session_is_legitimate()
    {
        (RawMqttPeer first, _) = RawMqttPeer.Connect(_world, "dev", cleanSession: false);
        _world.Broker.Faults.DropOutgoing(MqttPacketType.PubAck);
        var publish = new PublishPacket("t", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce, false, false, 2);
        first.Send(publish);
        first.Link.Reset();

        (RawMqttPeer second, _) = RawMqttPeer.Connect(_world, "dev", cleanSession: false);
        second.Send(publish with { Dup = true });

        Assert.Empty(_world.Broker.Violations);
    }

    [Fact]
    public void Reusing_an_id_for_a_new_message_after_its_PUBACK_is_legitimate()
    {
        (RawMqttPeer peer, _) = RawMqttPeer.Connect(_world, "dev");
        var publish = new PublishPacket("t", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce, false, false, 2);

        peer.Send(publish);
        peer.Expect<PubAckPacket>();
        peer.Send(publish with { Payload = new byte[] { 2 } });

        Assert.Empty(_world.Broker.Violations);
    }
}
