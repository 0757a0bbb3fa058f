using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.PropertyTests.Simulation.Broker;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>
/// The real client speaking MQTT 5 to the simulated broker: where the versions differ, as the tables' version guards say.
/// MQTT 5 re-sends a PUBLISH or PUBREL only on a new connection [MQTT-4.4.0-1] (the broker's checker reports a re-send on
/// the same link), its session outlives a link by its expiry interval, and its CONNACK refusals are reason codes.
/// </summary>
public class Mqtt5Scenarios
{
    private static Scenario V5(int seed, Action<MqttClientOptions>? configure = null) => new(seed, o =>
    {
        o.ProtocolVersion = MqttProtocolVersion.V500;
        configure?.Invoke(o);
    });

    private static Task Publish(Scenario s, MqttQualityOfService qos, byte payload = 42) =>
        s.Start(c => c.PublishAsync("t", new[] { payload }, qos));

    private static List<string> Flow(Scenario s) =>
        [.. s.World.Broker.WrittenBy(Scenario.ClientId).Where(p => p is PublishPacket or PubRelPacket)
            .Select(p => p is PublishPacket { Dup: true } ? "PUBLISH DUP" : p.Type.ToString().ToUpperInvariant())];

    private static bool Took(Scenario s, PublishState from, PublishTrigger trigger, PublishState to) =>
        s.Transitions.Exists(t => t.Machine == "Publish" && t.From == from.ToString() && t.Trigger == trigger.ToString() && t.To == to.ToString());

    [Theory]
    [InlineData(MqttQualityOfService.AtMostOnce)]
    [InlineData(MqttQualityOfService.AtLeastOnce)]
    [InlineData(MqttQualityOfService.ExactlyOnce)]
    public void Connects_with_protocol_level_5_and_completes_a_publish(MqttQualityOfService qos)
    {
        var s = V5(500);
        s.Connect();
        s.Await(Publish(s, qos));

        ConnectPacket connect = Assert.Single(s.World.Broker.ReceivedFrom(Scenario.ClientId).Select(r => r.Packet).OfType<ConnectPacket>());
        Assert.True(connect.CleanSession);
        Assert.Null(connect.Properties?.SessionExpiryInterval); // a clean session ends with its link: interval 0, left out
        Assert.Equal(1024u * 1024, connect.Properties?.MaximumPacketSize);
        AcceptedMessage accepted = Assert.Single(s.World.Broker.AcceptedOn("t"));
        Assert.Equal(qos, accepted.QualityOfService);
        s.AssertConformant();
    }

    [Theory]
    [InlineData(PacketKind.PubAck, MqttQualityOfService.AtLeastOnce, "AwaitingPubAck", 1, new[] { "PUBLISH", "PUBLISH DUP" })]
    [InlineData(PacketKind.PubRec, MqttQualityOfService.ExactlyOnce, "AwaitingPubRec", 1, new[] { "PUBLISH", "PUBLISH DUP", "PUBREL" })]
    [InlineData(PacketKind.PubComp, MqttQualityOfService.ExactlyOnce, "AwaitingPubComp", 2, new[] { "PUBLISH", "PUBREL", "PUBREL" })]
    public void A_lost_answer_is_waited_for_on_the_same_link_and_its_packet_re_sent_only_on_the_next(PacketKind lost, MqttQualityOfService qos, string waiting, int sentOnFirstLink, string[] flow)
    {
        var s = V5(501, o => o.CleanSession = false);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing((MqttPacketType)lost, 1);
        Task publish = Publish(s, qos);

        // MaxRepublishes + 1 response times pass with nothing re-sent, then the link is declared dead.
        s.RunFor(s.Options.ResponseTime * s.Options.MaxRepublishes + TimeSpan.FromMilliseconds(500));
        Assert.Equal(flow[..sentOnFirstLink], Flow(s));
        Assert.Equal(1, s.World.Network.LinksOpened);
        Assert.Equal(s.Options.MaxRepublishes, s.Transitions.Count(t => t is { Machine: "Publish", Trigger: "ResponseTimeout" } && t.From == waiting && t.To == waiting));

        s.Await(publish, TimeSpan.FromSeconds(30));
        Assert.Equal(flow, Flow(s));
        Assert.Equal(2, s.World.Network.LinksOpened);
        Assert.True(s.Took("Connection", "RepublishLimitReached"));
        // QoS 1: the broker forwards the DUP re-send again (its PUBACK was lost); QoS 2: it held the identifier, so once.
        Assert.Equal(qos == MqttQualityOfService.AtLeastOnce ? 2 : 1, s.World.Broker.AcceptedOn("t").Count);
        Assert.Equal(lost == PacketKind.PubComp ? 0 : 1, s.Client.Statistics.Resent);
        s.AssertConformant(); // includes the broker's check that nothing was re-sent on the same link [MQTT-4.4.0-1]
    }

    [Fact]
    public void A_repeated_PUBREC_is_not_answered_with_a_second_PUBREL_on_the_same_link()
    {
        var s = V5(506);
        s.Connect();
        s.World.Broker.Faults.DelayOutgoing(MqttPacketType.PubComp, TimeSpan.FromMilliseconds(500));
        s.World.Broker.Faults.DuplicateOutgoing(MqttPacketType.PubRec, 1);
        s.Await(Publish(s, MqttQualityOfService.ExactlyOnce));

        Assert.Equal(["PUBLISH", "PUBREL"], Flow(s));
        Assert.True(Took(s, PublishState.AwaitingPubComp, PublishTrigger.PubRec, PublishState.AwaitingPubComp));
        Assert.Single(s.World.Broker.AcceptedOn("t"));
        s.AssertConformant();
    }

    [Theory]
    [InlineData(MqttQualityOfService.AtLeastOnce, "PUBACK", "AwaitingPubAck", "PubAckRefused")]
    [InlineData(MqttQualityOfService.ExactlyOnce, "PUBREC", "AwaitingPubRec", "PubRecRefused")]
    public void A_refusing_answer_fails_the_publish_with_its_reason_code_and_frees_the_identifier(MqttQualityOfService qos, string answer, string waiting, string trigger)
    {
        var s = V5(507);
        s.Connect();
        s.World.Broker.Faults.RefusePublishesTo("t", 0x87);
        Task refused = Publish(s, qos);
        s.RunFor(TimeSpan.FromSeconds(1));

        var error = Assert.IsType<MqttPublishException>(refused.Exception?.InnerException);
        Assert.Equal(0x87, error.ReasonCode);
        Assert.Contains("Not authorized (0x87)", error.Message, StringComparison.Ordinal);
        Assert.Contains(answer, error.Message, StringComparison.Ordinal);
        Assert.Contains("refused by the simulated broker", error.Message, StringComparison.Ordinal);
        Assert.Contains(s.Transitions, t => t.Machine == "Publish" && t.From == waiting && t.Trigger == trigger && t.To == "Refused");
        Assert.Empty(s.Client.SnapshotHeldMessages());
        Assert.Equal((0L, 1L), (s.Client.Statistics.Acknowledged, s.Client.Statistics.Refused));
        Assert.Equal(["PUBLISH"], Flow(s)); // no PUBREL after a refusing PUBREC, no re-send

        // The identifier is free again, and another topic goes through.
        s.Await(s.Start(c => c.PublishAsync("u", new byte[] { 1 }, qos)));
        Assert.Single(s.World.Broker.AcceptedOn("u"));
        Assert.Empty(s.World.Broker.AcceptedOn("t"));
        s.AssertConformant();
    }

    [Fact]
    public void A_refusal_of_the_other_QoS_kind_or_after_PUBREC_moves_no_flow()
    {
        var s = V5(508);
        s.Connect();
        var refusal = new StateMachineMqtt.Protocol.V5.MqttProperties { ReasonString = "stray" };
        ushort LastId() => s.World.Broker.WrittenBy(Scenario.ClientId).OfType<PublishPacket>().Last().PacketId;

        s.World.Broker.Faults.DelayOutgoing(MqttPacketType.PubAck, TimeSpan.FromMilliseconds(300));
        Task qos1 = Publish(s, MqttQualityOfService.AtLeastOnce, 1);
        s.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.True(s.World.Broker.SendStray(Scenario.ClientId, new PubRecPacket(LastId(), 0x87, refusal)));
        s.Await(qos1); // completed by its own PUBACK: the refusing PUBREC was not its answer

        s.World.Broker.Faults.DelayOutgoing(MqttPacketType.PubRec, TimeSpan.FromMilliseconds(300));
        Task awaitingPubRec = Publish(s, MqttQualityOfService.ExactlyOnce, 2);
        s.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.True(s.World.Broker.SendStray(Scenario.ClientId, new PubAckPacket(LastId(), 0x87, refusal)));
        s.Await(awaitingPubRec);

        s.World.Broker.Faults.DelayOutgoing(MqttPacketType.PubComp, TimeSpan.FromMilliseconds(300));
        Task awaitingPubComp = Publish(s, MqttQualityOfService.ExactlyOnce, 3);
        s.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.True(s.World.Broker.SendStray(Scenario.ClientId, new PubAckPacket(LastId(), 0x87, refusal)));
        Assert.True(s.World.Broker.SendStray(Scenario.ClientId, new PubRecPacket(LastId(), 0x87, refusal)));
        s.Await(awaitingPubComp);

        foreach ((PublishState state, PublishTrigger stray) in new[]
        {
            (PublishState.AwaitingPubAck, PublishTrigger.PubRecRefused), (PublishState.AwaitingPubRec, PublishTrigger.PubAckRefused),
            (PublishState.AwaitingPubComp, PublishTrigger.PubAckRefused), (PublishState.AwaitingPubComp, PublishTrigger.PubRecRefused),
        })
        {
            Assert.True(Took(s, state, stray, state), $"{state} did not hear {stray}");
        }

        Assert.Equal(3, s.Client.Statistics.Acknowledged);
        Assert.DoesNotContain(s.Transitions, t => t.To == "Refused");
    }

    [Fact]
    public void The_in_flight_window_is_clamped_to_the_brokers_Receive_Maximum()
    {
        var s = V5(509, o => o.MaxInflight = 20);
        s.World.Broker.ConnAckProperties = new StateMachineMqtt.Protocol.V5.MqttProperties { ReceiveMaximum = 2 };
        s.Connect();
        Assert.Equal(2, s.Client.Engine.Window);
        s.World.Broker.Faults.DelayOutgoing(MqttPacketType.PubAck, TimeSpan.FromSeconds(1), count: 5);
        Task[] publishes = [.. Enumerable.Range(0, 5).Select(i => Publish(s, MqttQualityOfService.AtLeastOnce, (byte)i))];
        s.RunFor(TimeSpan.FromMilliseconds(500));

        // [MQTT-4.9.0-2]: no more unacknowledged QoS 1 PUBLISH than the broker's Receive Maximum.
        Assert.Equal(2, s.World.Broker.WrittenBy(Scenario.ClientId).OfType<PublishPacket>().Count());
        s.Await(Task.WhenAll(publishes));
        Assert.Equal(5, s.World.Broker.AcceptedOn("t").Count);
        s.AssertConformant();
    }

    [Fact]
    public void The_brokers_Server_Keep_Alive_replaces_the_clients_own()
    {
        var s = V5(510, o => o.KeepAlive = TimeSpan.FromSeconds(20));
        s.World.Broker.ConnAckProperties = new StateMachineMqtt.Protocol.V5.MqttProperties { ServerKeepAlive = 4 };
        s.Connect();
        TimeSpan connected = s.Now;
        s.RunFor(TimeSpan.FromSeconds(5));

        // [MQTT-3.2.2-21]: pings follow the broker's 4 s (a quarter of it: every second), not the 20 s asked for.
        Assert.Equal(4000, s.Client.Engine.KeepAliveInForceMs);
        var pings = s.World.Broker.ReceivedFrom(Scenario.ClientId).Where(r => r.Packet is PingReqPacket).Select(r => r.At - connected).ToList();
        Assert.True(pings.Count >= 4, $"{pings.Count} pings in 5 s");
        Assert.Equal(TimeSpan.FromSeconds(1), pings[0]);
    }

    [Fact]
    public void A_session_started_clean_on_the_first_connect_is_resumed_after_the_first_outage()
    {
        // 3.1.1 ends a clean session with its link [MQTT-3.1.2-6]; MQTT 5 keeps it for its expiry interval.
        var s = V5(502, o => { o.CleanSession = false; o.CleanSessionOnFirstConnect = true; });
        s.Connect();
        s.World.Network.LastLink!.Reset();
        Assert.True(s.RunUntil(() => s.Events.Count(e => e.Event.Change == MqttConnectionChange.Connected) == 2, TimeSpan.FromSeconds(30)), s.Describe());

        var connects = s.World.Broker.ReceivedFrom(Scenario.ClientId).Select(r => r.Packet).OfType<ConnectPacket>().ToList();
        Assert.Equal([true, false], connects.Select(c => c.CleanSession));
        Assert.All(connects, c => Assert.Equal((uint)ConnectRules.SessionNeverExpires, c.Properties?.SessionExpiryInterval));
        Assert.True(s.Events.Last(e => e.Event.Change == MqttConnectionChange.Connected).Event.SessionPresent);
        s.AssertConformant();
    }

    [Fact]
    public void The_session_expiry_interval_set_in_the_options_is_the_one_asked_for()
    {
        var s = V5(503, o => { o.CleanSession = false; o.SessionExpiryInterval = TimeSpan.FromMinutes(5); });
        s.Connect();

        ConnectPacket connect = Assert.Single(s.World.Broker.ReceivedFrom(Scenario.ClientId).Select(r => r.Packet).OfType<ConnectPacket>());
        Assert.Equal(300u, connect.Properties?.SessionExpiryInterval);
    }

    [Theory]
    [InlineData(ConnectReturnCode.NotAuthorized, 0x87, "Not authorized")]
    [InlineData(ConnectReturnCode.BadUserNameOrPassword, 0x86, "Bad User Name or Password")]
    public void A_fatal_refusal_fails_the_first_connect_with_its_MQTT_5_reason_code(ConnectReturnCode refusal, int code, string name)
    {
        var s = V5(504);
        s.World.Broker.Faults.RefuseConnects(refusal);
        Task connect = s.Start(c => c.ConnectAsync());
        s.RunFor(TimeSpan.FromSeconds(5));

        var error = Assert.IsType<MqttConnectException>(connect.Exception?.InnerException);
        Assert.Equal((ConnectReturnCode)code, error.ReturnCode);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, s.World.Network.LinksOpened);
    }

    [Fact]
    public void Server_unavailable_is_retried_under_MQTT_5_too()
    {
        var s = V5(505);
        s.World.Broker.Faults.RefuseConnects(ConnectReturnCode.ServerUnavailable, count: 2);
        s.Connect();

        Assert.Equal(3, s.World.Network.LinksOpened);
        Assert.Equal(2, s.World.Broker.SentTo(Scenario.ClientId).Count(r => r.Packet is ConnAckPacket { ReturnCode: (ConnectReturnCode)0x88 }));
    }
}
