using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.PropertyTests.Simulation.Broker;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Simulation.Tests;

/// <summary>
/// The broker's side of QoS 2 from a client, MQTT 3.1.1 §4.3.3 method B: forwarded once when first received, PUBREC for
/// every PUBLISH with the identifier, the identifier held (and kept with a persistent session) until PUBREL, PUBCOMP for
/// every PUBREL; its faults on PUBREC, PUBCOMP and PUBREL; and the client checks (I4) that QoS 2 adds.
/// </summary>
public sealed class BrokerQos2Tests : IAsyncLifetime
{
    private static readonly MqttQualityOfService Qos1 = MqttQualityOfService.AtLeastOnce;
    private static readonly MqttQualityOfService Qos2 = MqttQualityOfService.ExactlyOnce;
    private readonly SimulationWorld _world = new(seed: 4);

    private SimulatedBroker Broker => _world.Broker;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        Assert.Empty(Broker.InternalErrors);
        await _world.DisposeAsync();
    }

    private static PublishPacket Message(ushort id, byte payload = 1, bool dup = false) => new("t", new byte[] { payload }, Qos2, Retain: false, Dup: dup, PacketId: id);

    [Fact]
    public void A_QoS_2_PUBLISH_is_forwarded_once_and_held_until_PUBREL_however_often_it_is_re_sent()
    {
        (RawMqttPeer subscriber, _) = RawMqttPeer.Connect(_world, "sub");
        subscriber.Send(new SubscribePacket(1, [new("t", Qos1)]));
        subscriber.Expect<SubAckPacket>();
        (RawMqttPeer peer, _) = RawMqttPeer.Connect(_world, "dev");

        peer.Send(Message(9));
        Assert.Equal(new PubRecPacket(9), peer.Expect<PubRecPacket>());
        Assert.Equal([(ushort)9], Broker.HeldQos2Ids("dev"));
        PublishPacket forwarded = subscriber.Expect<PublishPacket>();
        Assert.Equal((Qos1, (byte)1), (forwarded.QualityOfService, forwarded.Payload.Span[0]));

        // The same message again, with DUP as a client re-sends it, and even without: PUBREC again, not forwarded again.
        peer.Send(Message(9, dup: true));
        Assert.Equal(new PubRecPacket(9), peer.Expect<PubRecPacket>());
        subscriber.Send(new PubAckPacket(forwarded.PacketId));
        subscriber.ExpectNothing();
        AcceptedMessage accepted = Assert.Single(Broker.AcceptedOn("t"));
        Assert.Equal((Qos2, (ushort)9, false), (accepted.QualityOfService, accepted.PacketId, accepted.Dup));

        peer.Send(new PubRelPacket(9));
        Assert.Equal(new PubCompPacket(9), peer.Expect<PubCompPacket>());
        Assert.Empty(Broker.HeldQos2Ids("dev"));

        // Released: a PUBREL again still gets PUBCOMP, and the identifier now names a new message.
        peer.Send(new PubRelPacket(9));
        Assert.Equal(new PubCompPacket(9), peer.Expect<PubCompPacket>());
        peer.Send(Message(9, payload: 2));
        peer.Expect<PubRecPacket>();
        Assert.Equal([1, 2], Broker.AcceptedOn("t").Select(m => (int)m.Payload.Span[0]));
        Assert.Equal(2, subscriber.Expect<PublishPacket>().Payload.Span[0]);
        Assert.Empty(Broker.Violations);
    }

    [Fact]
    public void A_PUBREL_for_an_identifier_never_held_is_answered_with_PUBCOMP()
    {
        // As for a PUBREL re-sent to a broker that lost the session: the client must hear the end of its flow.
        (RawMqttPeer peer, _) = RawMqttPeer.Connect(_world, "dev");

        peer.Send(new PubRelPacket(4));

        Assert.Equal(new PubCompPacket(4), peer.Expect<PubCompPacket>());
        Assert.Empty(Broker.AcceptedOn("t"));
    }

    [Theory]
    [InlineData(false, "reconnect")]
    [InlineData(true, "reconnect")]
    [InlineData(false, "restart keeping sessions")]
    [InlineData(false, "restart losing sessions")]
    public void Held_QoS_2_identifiers_are_part_of_the_session(bool cleanSession, string how)
    {
        (RawMqttPeer first, _) = RawMqttPeer.Connect(_world, "dev", cleanSession);
        first.Send(Message(3));
        first.Expect<PubRecPacket>();
        int sessionOfFirst = Broker.AcceptedOn("t")[0].Session;
        switch (how)
        {
            case "reconnect": first.Link.Reset(); break;
            case "restart keeping sessions": Broker.Restart(keepSessions: true); break;
            default: Broker.Restart(keepSessions: false); break;
        }

        _world.RunUntilIdle();
        (RawMqttPeer second, ConnAckPacket ack) = RawMqttPeer.Connect(_world, "dev", cleanSession);
        second.Send(Message(3, dup: true));
        second.Expect<PubRecPacket>();

        bool kept = !cleanSession && how != "restart losing sessions";
        Assert.Equal(kept, ack.SessionPresent);
        // Kept: the DUP re-send is the same message. Lost: the new session takes it as new, as any broker would.
        Assert.Equal(kept ? 1 : 2, Broker.AcceptedOn("t").Count);
        Assert.Equal(kept ? 1 : 2, Broker.SessionsStartedFor("dev"));
        Assert.Equal(kept, Broker.AcceptedOn("t")[^1].Session == sessionOfFirst);
        Assert.Empty(Broker.Violations);
    }

    [Fact]
    public void PUBREC_and_PUBCOMP_can_be_dropped_duplicated_or_delayed_and_a_PUBREL_ignored()
    {
        (RawMqttPeer peer, _) = RawMqttPeer.Connect(_world, "dev");

        Broker.Faults.DropOutgoing(MqttPacketType.PubRec);
        peer.Send(Message(1));
        peer.ExpectNothing();
        Broker.Faults.DuplicateOutgoing(MqttPacketType.PubRec);
        peer.Send(Message(1, dup: true));
        Assert.Equal(peer.Expect<PubRecPacket>(), peer.Expect<PubRecPacket>());

        Broker.Faults.DropIncoming(MqttPacketType.PubRel);
        peer.Send(new PubRelPacket(1));
        peer.ExpectNothing();
        Assert.Equal([(ushort)1], Broker.HeldQos2Ids("dev"));

        Broker.Faults.DropOutgoing(MqttPacketType.PubComp);
        peer.Send(new PubRelPacket(1));
        peer.ExpectNothing();
        Assert.Empty(Broker.HeldQos2Ids("dev"));

        // Delayed: a PINGRESP sent later overtakes it; it arrives once the delay has passed.
        Broker.Faults.DelayOutgoing(MqttPacketType.PubComp, TimeSpan.FromSeconds(2));
        peer.Send(new PubRelPacket(1));
        peer.Send(PingReqPacket.Instance);
        peer.Expect<PingRespPacket>();
        _world.RunFor(TimeSpan.FromMilliseconds(1_999));
        peer.ExpectNothing();
        _world.RunFor(TimeSpan.FromMilliseconds(1));
        Assert.Equal(new PubCompPacket(1), peer.Expect<PubCompPacket>());

        Assert.Single(Broker.AcceptedOn("t"));
        // Recorded in the order written: the delayed PUBCOMP after the PINGRESP that overtook it.
        Assert.Equal(
            [(MqttPacketType.ConnAck, false), (MqttPacketType.PubRec, true), (MqttPacketType.PubRec, false), (MqttPacketType.PubRec, false), (MqttPacketType.PubComp, true), (MqttPacketType.PingResp, false), (MqttPacketType.PubComp, false)],
            Broker.SentTo("dev").Select(r => (r.Type, r.Dropped)));
        Assert.Empty(Broker.Violations);
    }

    [Fact]
    public void A_delayed_answer_is_lost_with_its_link()
    {
        (RawMqttPeer peer, _) = RawMqttPeer.Connect(_world, "dev");
        Broker.Faults.DelayOutgoing(MqttPacketType.PubRec, TimeSpan.FromSeconds(1));

        peer.Send(Message(5));
        peer.Link.Reset();
        _world.RunFor(TimeSpan.FromSeconds(2));

        PacketRecord late = Broker.SentTo("dev")[^1];
        Assert.Equal((MqttPacketType.PubRec, true, TimeSpan.FromSeconds(1)), (late.Type, late.Dropped, late.At));
        Assert.Empty(peer.Received.OfType<PubRecPacket>());
    }

    [Fact]
    public void A_PUBLISH_after_its_PUBREL_is_an_I4_violation()
    {
        (RawMqttPeer peer, _) = RawMqttPeer.Connect(_world, "dev");
        Broker.Faults.DropOutgoing(MqttPacketType.PubComp);
        peer.Send(Message(6));
        peer.Expect<PubRecPacket>();
        peer.Send(new PubRelPacket(6));

        peer.Send(Message(6, dup: true));

        ProtocolViolation violation = Assert.Single(Broker.Violations);
        Assert.Equal(ProtocolViolationKind.PublishAfterPubRel, violation.Kind);
        Assert.Contains("MQTT-4.3.3-1", violation.Detail, StringComparison.Ordinal);
        // The broker, having released the identifier, takes it as a new message: the duplicate the rule exists to prevent.
        Assert.Equal(2, Broker.AcceptedOn("t").Count);
    }

    [Fact]
    public void A_QoS_2_re_send_without_DUP_and_a_PUBREL_no_PUBREC_named_are_violations()
    {
        (RawMqttPeer peer, _) = RawMqttPeer.Connect(_world, "dev");
        Broker.Faults.DropOutgoing(MqttPacketType.PubRec);
        peer.Send(Message(7));
        peer.Send(Message(7));
        peer.Send(new PubRelPacket(8));

        Assert.Equal([ProtocolViolationKind.ResendWithoutDup, ProtocolViolationKind.PubRelWithoutPubRec], Broker.Violations.Select(v => v.Kind));
    }

    [Fact]
    public void Reusing_a_QoS_2_identifier_after_its_PUBCOMP_is_legitimate()
    {
        (RawMqttPeer peer, _) = RawMqttPeer.Connect(_world, "dev");
        peer.Send(Message(2));
        peer.Expect<PubRecPacket>();
        peer.Send(new PubRelPacket(2));
        peer.Expect<PubCompPacket>();

        peer.Send(Message(2, payload: 9));
        peer.Expect<PubRecPacket>();
        peer.Send(new PubRelPacket(2));
        peer.Expect<PubCompPacket>();
        peer.Send(new PublishPacket("t", new byte[] { 10 }, Qos1, false, false, 2));
        peer.Expect<PubAckPacket>();

        Assert.Empty(Broker.Violations);
    }

    [Fact]
    public void A_stray_packet_goes_to_the_client_as_the_broker_wrote_it()
    {
        (RawMqttPeer peer, _) = RawMqttPeer.Connect(_world, "dev");

        Assert.True(Broker.SendStray("dev", new PubCompPacket(77)));
        Assert.False(Broker.SendStray("nobody", new PubCompPacket(77)));

        Assert.Equal(new PubCompPacket(77), peer.Expect<PubCompPacket>());
        Assert.Equal(MqttPacketType.PubComp, Broker.SentTo("dev")[^1].Type);
    }
}
