using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>
/// Inbound MQTT 5 Topic Aliases through the real client: the client offers a Topic Alias Maximum in CONNECT, resolves the
/// broker's aliases per link so every message reaches the application with its full topic, and treats an alias it did
/// not offer or never saw set as a protocol error (the link closes and the client reconnects).
/// </summary>
public class Mqtt5TopicAliasScenarios
{
    private static Scenario V5(int seed, int maximum) => new(seed, o =>
    {
        o.ProtocolVersion = MqttProtocolVersion.V500;
        o.TopicAliasMaximum = maximum;
    });

    private static List<MqttMessage> Reader(Scenario s)
    {
        var received = new List<MqttMessage>();
        _ = s.World.Start(async () =>
        {
            await foreach (MqttMessage m in s.Client.ReadMessagesAsync())
            {
                received.Add(m);
            }
        });
        return received;
    }

    [Fact]
    public void Aliased_messages_arrive_with_their_full_topics()
    {
        var s = V5(790, maximum: 1);
        s.World.Broker.Faults.UseTopicAliases = true;
        s.Connect();
        Assert.Equal((ushort)1, Assert.Single(s.World.Broker.ReceivedFrom(Scenario.ClientId).Select(r => r.Packet).OfType<ConnectPacket>()).Properties?.TopicAliasMaximum);
        s.Await(s.Start(c => c.SubscribeAsync("a/#", MqttQualityOfService.AtLeastOnce)));
        List<MqttMessage> received = Reader(s);
        foreach (string topic in new[] { "a/one", "a/one", "a/two", "a/one" })
        {
            s.World.Broker.Publish(topic, new byte[] { 1 });
        }

        Assert.True(s.RunUntil(() => received.Count == 4, TimeSpan.FromSeconds(5)), s.Describe());
        Assert.Equal(["a/one", "a/one", "a/two", "a/one"], received.Select(m => m.Topic));
        // On the wire: the first set alias 1, the repeats used it with an empty topic; "a/two" found no free alias.
        Assert.Equal(["a/one", "", "a/two", ""], s.World.Broker.SentTo(Scenario.ClientId).Select(r => r.Packet).OfType<PublishPacket>().Select(p => p.Topic));
        Assert.Equal(1, s.World.Network.LinksOpened);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void An_alias_above_the_clients_maximum_closes_the_link_and_the_client_reconnects(int maximum)
    {
        var s = V5(791, maximum);
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("a/#", MqttQualityOfService.AtMostOnce)));
        s.World.Broker.Faults.UseTopicAliases = maximum > 0;
        var connection = new InboundTopicAliases(maximum);
        var bad = new PublishPacket("a/x", new byte[] { 1 }, MqttQualityOfService.AtMostOnce, false, false, 0, new MqttProperties { TopicAlias = (ushort)(maximum + 1) });
        Assert.Contains("[MQTT-3.3.2-11]", Assert.Throws<MqttProtocolException>(() => connection.Resolve(bad)).Message, StringComparison.Ordinal);

        if (maximum > 0)
        {
            s.World.Broker.Faults.NextAliasOutOfRange = true;
            s.World.Broker.Publish("a/x", new byte[] { 1 });
            s.RunFor(TimeSpan.FromSeconds(10));
            Assert.Contains(s.Events, e => e.Event.Change == MqttConnectionChange.LinkLost && e.Event.Reason.Contains("Topic Alias 3", StringComparison.Ordinal));
            Assert.True(s.Client.IsConnected);
            Assert.Equal(2, s.World.Network.LinksOpened);
        }
    }

    [Fact]
    public void Aliases_are_per_link_an_alias_never_set_is_a_protocol_error_and_0_is_not_an_alias()
    {
        var aliases = new InboundTopicAliases(4);
        PublishPacket Publish(string topic, ushort alias) => new(topic, new byte[] { 1 }, MqttQualityOfService.AtMostOnce, false, false, 0, new MqttProperties { TopicAlias = alias });
        Assert.Equal("t/1", aliases.Resolve(Publish("t/1", 2)).Topic);
        Assert.Equal("t/1", aliases.Resolve(Publish("", 2)).Topic);
        Assert.Equal("t/2", aliases.Resolve(Publish("t/2", 2)).Topic); // an alias may be set again
        Assert.Equal("t/2", aliases.Resolve(Publish("", 2)).Topic);
        Assert.Contains("no earlier PUBLISH on this link set", Assert.Throws<MqttProtocolException>(() => new InboundTopicAliases(4).Resolve(Publish("", 2))).Message, StringComparison.Ordinal);
        Assert.Throws<MqttProtocolException>(() => aliases.Resolve(Publish("t/3", 0)));
        var plain = new PublishPacket("t/9", new byte[] { 1 }, MqttQualityOfService.AtMostOnce, false, false, 0);
        Assert.Same(plain, aliases.Resolve(plain));
    }
}

/// <summary>Automatic outbound Topic Aliases through the real client: set per link, within the broker's maximum and packet limit.</summary>
public class Mqtt5OutboundTopicAliasScenarios
{
    private static List<PublishPacket> Sent(Scenario s) => [.. s.World.Broker.ReceivedFrom(Scenario.ClientId).Select(r => r.Packet).OfType<PublishPacket>()];

    [Fact]
    public void Repeated_topics_go_as_aliases_within_the_brokers_maximum_and_are_set_again_on_a_new_link()
    {
        var s = new Scenario(795, o => { o.ProtocolVersion = MqttProtocolVersion.V500; o.AutomaticTopicAliases = true; o.CleanSession = false; });
        s.World.Broker.ConnAckProperties = new MqttProperties { TopicAliasMaximum = 1 };
        s.Connect();
        foreach (string topic in new[] { "a/one", "a/one", "a/two", "a/one" })
        {
            s.Await(s.Start(c => c.PublishAsync(topic, new byte[] { 1 }, MqttQualityOfService.AtLeastOnce)));
        }

        Assert.Equal(["a/one", "", "a/two", ""], Sent(s).Select(p => p.Topic));
        Assert.Equal(new ushort?[] { 1, 1, null, 1 }, Sent(s).Select(p => p.Properties?.TopicAlias));
        Assert.Equal((3, 1), (s.World.Broker.AcceptedOn("a/one").Count, s.World.Broker.AcceptedOn("a/two").Count)); // the broker resolved them

        // A new link forgets the aliases: its first PUBLISH to a topic carries the topic again.
        s.World.Network.LastLink!.Reset();
        Assert.True(s.RunUntil(() => s.Client.IsConnected && s.World.Network.LinksOpened == 2, TimeSpan.FromSeconds(30)), s.Describe());
        s.Await(s.Start(c => c.PublishAsync("a/one", new byte[] { 2 }, MqttQualityOfService.AtLeastOnce)));
        Assert.Equal(("a/one", (ushort?)1), (Sent(s)[^1].Topic, Sent(s)[^1].Properties?.TopicAlias));
        s.AssertConformant();
    }

    [Fact]
    public void Without_a_maximum_from_the_broker_no_alias_is_sent()
    {
        var s = new Scenario(796, o => { o.ProtocolVersion = MqttProtocolVersion.V500; o.AutomaticTopicAliases = true; });
        s.Connect();
        s.Await(s.Start(c => c.PublishAsync("a/one", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce)));
        s.Await(s.Start(c => c.PublishAsync("a/one", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce)));
        Assert.All(Sent(s), p => Assert.Equal(("a/one", (ushort?)null), (p.Topic, p.Properties?.TopicAlias)));
        Assert.Throws<ArgumentException>(new MqttClientOptions { ClientId = "c", AutomaticTopicAliases = true }.Validate);
    }
}
