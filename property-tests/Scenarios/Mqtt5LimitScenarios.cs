using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>
/// The limits an MQTT 5 broker's CONNACK sets, through the real client: its Maximum Packet Size [MQTT-3.2.2-15] (nothing
/// larger is sent; a call for it fails, whether it was made before or after the limit was known, even a message sent to an
/// earlier broker that took it) and its Receive Maximum when it changes between links [MQTT-4.9.0-2].
/// </summary>
public class Mqtt5LimitScenarios
{
    private const int Limit = 60;

    private static Scenario V5(int seed, Action<MqttClientOptions>? configure = null) => new(seed, o =>
    {
        o.ProtocolVersion = MqttProtocolVersion.V500;
        configure?.Invoke(o);
    });

    /// <summary>The broker gives (and holds to) a Maximum Packet Size from its next CONNACK on.</summary>
    private static void LimitPackets(Scenario s, int limit)
    {
        s.World.Broker.ConnAckProperties = new MqttProperties { MaximumPacketSize = (uint)limit };
        s.World.Broker.MaximumPacketSize = limit;
    }

    private static List<PublishPacket> Sent(Scenario s) => [.. s.World.Broker.ReceivedFrom(Scenario.ClientId).Select(r => r.Packet).OfType<PublishPacket>()];

    [Fact]
    public void A_publish_larger_than_the_brokers_Maximum_Packet_Size_fails_at_once_and_is_never_sent()
    {
        var s = V5(720);
        LimitPackets(s, Limit);
        s.Connect();
        Assert.Equal(Limit, s.Client.Engine.OutboundPacketLimit);

        Task big = s.Start(c => c.PublishAsync("t", new byte[Limit], MqttQualityOfService.AtLeastOnce));
        s.Await(s.Start(c => c.PublishAsync("t", new byte[8], MqttQualityOfService.AtLeastOnce)));

        ArgumentException e = Assert.IsType<ArgumentException>(Scenario.Failure(big), exactMatch: false);
        Assert.Contains($"the broker's Maximum Packet Size ({Limit} bytes, from its CONNACK)", e.Message, StringComparison.Ordinal);
        Assert.Equal(8, Assert.Single(Sent(s)).Payload.Length);
        s.AssertConformant();
    }

    [Fact]
    public void Messages_accepted_during_an_outage_that_the_next_brokers_limit_excludes_fail_and_the_rest_go()
    {
        var s = V5(721);
        s.Connect();
        LimitPackets(s, Limit); // the broker comes back with a limit (a restart with new settings, or a failover)
        s.World.Network.LastLink!.Reset();
        Task[] big = [.. new[] { MqttQualityOfService.AtMostOnce, MqttQualityOfService.AtLeastOnce, MqttQualityOfService.ExactlyOnce }
            .Select(q => s.Start(c => c.PublishAsync("t", new byte[Limit], q)))];
        Task small = s.Start(c => c.PublishAsync("t", new byte[8], MqttQualityOfService.AtLeastOnce));

        s.Await(small, TimeSpan.FromSeconds(30));
        Assert.All(big, t => Assert.Contains("Maximum Packet Size", Assert.IsType<ArgumentException>(Scenario.Failure(t), exactMatch: false).Message, StringComparison.Ordinal));
        Assert.Equal(8, Assert.Single(Sent(s)).Payload.Length);
        Assert.Equal(3, s.Client.Engine.Statistics.RefusedOversized);
        Assert.Equal(2, s.Transitions.Count(t => t is { Machine: "Publish", From: "Queued", Trigger: "TooLarge", To: "Oversized" }));
        s.AssertConformant();
    }

    [Theory]
    [InlineData(MqttQualityOfService.AtLeastOnce, "Resend")]
    [InlineData(MqttQualityOfService.ExactlyOnce, "ResendQos2")]
    public void A_message_sent_to_a_broker_that_took_it_fails_rather_than_be_re_sent_to_one_that_would_not(MqttQualityOfService qos, string waiting)
    {
        MqttPacketType lost = qos == MqttQualityOfService.AtLeastOnce ? MqttPacketType.PubAck : MqttPacketType.PubRec;
        var s = V5(722, o => o.CleanSession = false);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing(lost, 1);
        Task publish = s.Start(c => c.PublishAsync("t", new byte[Limit], qos));
        s.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.Single(Sent(s));

        LimitPackets(s, Limit);
        s.World.Network.LastLink!.Reset();
        s.RunFor(TimeSpan.FromSeconds(10));

        Assert.True(publish.IsFaulted, s.Describe());
        Assert.Contains("Maximum Packet Size", Assert.IsType<ArgumentException>(Scenario.Failure(publish), exactMatch: false).Message, StringComparison.Ordinal);
        Assert.Single(Sent(s)); // never re-sent
        Assert.Contains(s.Transitions, t => t is { Machine: "Publish", Trigger: "TooLarge", To: "Oversized" } && t.From == waiting);
        Assert.Empty(s.Client.SnapshotHeldMessages());
        s.AssertConformant();
    }

    [Fact]
    public void A_lower_Receive_Maximum_on_the_next_link_bounds_the_re_sends_too()
    {
        var s = V5(723, o => { o.CleanSession = false; o.MaxInflight = 20; });
        s.World.Broker.ConnAckProperties = new MqttProperties { ReceiveMaximum = 5 };
        s.Connect();
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubAck, 4);
        Task[] publishes = [.. Enumerable.Range(0, 4).Select(i => s.Start(c => c.PublishAsync("t", new[] { (byte)i }, MqttQualityOfService.AtLeastOnce)))];
        s.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.Equal(4, Sent(s).Count);

        s.World.Broker.ConnAckProperties = new MqttProperties { ReceiveMaximum = 1 };
        s.World.Broker.Faults.DelayOutgoing(MqttPacketType.PubAck, TimeSpan.FromSeconds(1), count: 4);
        s.World.Network.LastLink!.Reset();
        s.Await(Task.WhenAll(publishes), TimeSpan.FromSeconds(30));

        // On the second link each re-send waits for the PUBACK before it, a second each: never two unacknowledged [MQTT-4.9.0-2].
        List<TimeSpan> resent = [.. s.World.Broker.ReceivedFrom(Scenario.ClientId).Where(r => r.Packet is PublishPacket { Dup: true }).Select(r => r.At)];
        Assert.Equal(4, resent.Count);
        Assert.All(resent.Zip(resent.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromSeconds(1), $"re-sends at {string.Join(", ", resent)}"));
        Assert.Equal(1, s.Client.Engine.Window);
        s.AssertConformant();
    }

    [Fact]
    public void The_client_s_Receive_Maximum_goes_in_CONNECT_and_keeps_the_broker_s_excess_at_the_broker()
    {
        var s = new Scenario(760, o =>
        {
            o.ProtocolVersion = MqttProtocolVersion.V500;
            o.ReceiveMaximum = 2;
            o.ReceiveQueueLength = 1;
        });
        s.Connect();
        Assert.Equal((ushort)2, s.World.Broker.ReceivedFrom(Scenario.ClientId).Select(r => r.Packet).OfType<ConnectPacket>().First().Properties!.ReceiveMaximum);
        s.Await(s.Start(c => c.SubscribeAsync("in/#", MqttQualityOfService.AtLeastOnce)));
        for (byte i = 0; i < 5; i++)
        {
            s.World.Broker.Publish("in/x", new[] { i });
        }

        s.RunFor(TimeSpan.FromSeconds(1));
        // The first went to the application (acknowledged); the second and third await acknowledgement: two, the maximum.
        Assert.Equal(3, s.World.Broker.SentTo(Scenario.ClientId).Count(r => r.Packet is PublishPacket));
        Assert.Equal(4, s.World.Broker.HeldMessageCount(Scenario.ClientId));

        var read = s.World.Start(async () =>
        {
            var got = new List<int>();
            await foreach (MqttMessage m in s.Client.ReadMessagesAsync())
            {
                got.Add(m.Payload.Span[0]);
                if (got.Count == 5)
                {
                    break;
                }
            }

            return got;
        });
        Assert.Equal([0, 1, 2, 3, 4], s.Await(read));
        s.RunFor(TimeSpan.FromMilliseconds(10));
        Assert.Equal(0, s.World.Broker.HeldMessageCount(Scenario.ClientId));
        s.AssertConformant();
    }
}
