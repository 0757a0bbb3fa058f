using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>
/// MQTT 5 Subscription Options and Subscription Identifiers through the real client: sent as asked, kept with the
/// subscription, and sent again when a lost session is restored (I8) — one SUBSCRIBE per identifier, since a SUBSCRIBE
/// carries at most one.
/// </summary>
public class Mqtt5SubscriptionOptionScenarios
{
    private static List<SubscribePacket> Subscribes(Scenario s) =>
        [.. s.World.Broker.ReceivedFrom(Scenario.ClientId).Select(r => r.Packet).OfType<SubscribePacket>()];

    [Fact]
    public void Options_and_identifiers_are_sent_and_restored_with_the_subscription()
    {
        var s = new Scenario(780, o => o.ProtocolVersion = MqttProtocolVersion.V500);
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("a/#", MqttQualityOfService.AtLeastOnce, new MqttSubscriptionOptions { NoLocal = true, RetainHandling = MqttRetainHandling.DoNotSend, SubscriptionIdentifier = 7 })));
        s.Await(s.Start(c => c.SubscribeAsync("b/#", MqttQualityOfService.ExactlyOnce, new MqttSubscriptionOptions { RetainAsPublished = true })));
        s.Await(s.Start(c => c.SubscribeAsync("c/#", MqttQualityOfService.AtMostOnce)));
        Assert.Equal(3, Subscribes(s).Count);
        Assert.Equal(7u, Assert.Single(Subscribes(s)[0].Properties!.SubscriptionIdentifiers));
        Assert.Equal(new TopicSubscription("a/#", MqttQualityOfService.AtLeastOnce, NoLocal: true, RetainHandling: 2), Subscribes(s)[0].Subscriptions[0]);

        // A clean session is lost with its link: the client restores all three, as they were asked for.
        s.World.Network.LastLink!.Reset();
        Assert.True(s.RunUntil(() => Subscribes(s).Count == 5, TimeSpan.FromSeconds(30)), s.Describe());
        List<SubscribePacket> restores = Subscribes(s)[3..];
        SubscribePacket withId = Assert.Single(restores, p => p.Properties?.SubscriptionIdentifiers.Count == 1);
        Assert.Equal(7u, withId.Properties!.SubscriptionIdentifiers[0]);
        Assert.Equal([new TopicSubscription("a/#", MqttQualityOfService.AtLeastOnce, NoLocal: true, RetainHandling: 2)], withId.Subscriptions);
        SubscribePacket rest = Assert.Single(restores, p => p.Properties is null);
        Assert.Equal(
            [new TopicSubscription("b/#", MqttQualityOfService.ExactlyOnce, RetainAsPublished: true), new TopicSubscription("c/#", MqttQualityOfService.AtMostOnce)],
            rest.Subscriptions);
        s.AssertConformant();
    }

    [Theory]
    [InlineData("v311", "need MQTT 5")]
    [InlineData("shared", "[MQTT-3.8.3-4]")]
    [InlineData("zero", "1 to 268,435,455")]
    [InlineData("huge", "1 to 268,435,455")]
    public void Options_a_client_may_not_ask_for_are_refused_at_the_call(string what, string expected)
    {
        var s = new Scenario(781, o => o.ProtocolVersion = what == "v311" ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500);
        s.Connect();
        (string filter, MqttSubscriptionOptions options) = what switch
        {
            "v311" => ("a", new MqttSubscriptionOptions { NoLocal = true }),
            "shared" => ("$share/g/a", new MqttSubscriptionOptions { NoLocal = true }),
            "zero" => ("a", new MqttSubscriptionOptions { SubscriptionIdentifier = 0 }),
            _ => ("a", new MqttSubscriptionOptions { SubscriptionIdentifier = MqttSubscriptionOptions.MaximumSubscriptionIdentifier + 1 }),
        };
        var e = Assert.ThrowsAny<ArgumentException>(() => { _ = s.Client.SubscribeAsync(filter, MqttQualityOfService.AtLeastOnce, options); });
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Equal("options", e.ParamName);
    }
}
