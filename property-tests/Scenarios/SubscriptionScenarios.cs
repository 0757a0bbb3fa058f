using StateMachineMqtt.Spec;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>I8: subscriptions are in force after every reconnect; refusals and lost acknowledgements are handled.</summary>
public class SubscriptionScenarios
{
    private static int SubscribesSent(Scenario s) => s.World.Broker.ReceivedFrom(Scenario.ClientId).Count(r => r.Packet is SubscribePacket);

    [Fact]
    public void SubscribeAsync_returns_the_granted_QoS()
    {
        var s = new Scenario(50);
        s.Connect();
        Assert.Equal(MqttQualityOfService.AtLeastOnce, s.Await(s.Start(c => c.SubscribeAsync("a/#", MqttQualityOfService.AtLeastOnce))));
        Assert.Equal(MqttQualityOfService.AtLeastOnce, s.World.Broker.SubscriptionsOf(Scenario.ClientId)["a/#"]);
        s.AssertConformant();
    }

    [Fact]
    public void A_broker_restart_that_loses_the_session_gets_every_subscription_restored()
    {
        var s = new Scenario(51);
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("a/#")));
        s.Await(s.Start(c => c.SubscribeAsync("b/+", MqttQualityOfService.AtMostOnce)));
        s.World.Broker.Restart(keepSessions: false);
        Assert.True(s.RunUntil(() => s.World.Broker.SubscriptionsOf(Scenario.ClientId).Count == 2, TimeSpan.FromSeconds(30)), s.Describe());

        s.World.Broker.Publish("a/1", new byte[] { 7 });
        var reading = s.World.Start(async () =>
        {
            await foreach (var m in s.Client.ReadMessagesAsync())
            {
                return m;
            }

            return null;
        });
        Assert.Equal("a/1", s.Await(reading)!.Topic);
        s.AssertConformant();
    }

    [Fact]
    public void A_resumed_session_is_not_resubscribed()
    {
        var s = new Scenario(52, o => o.CleanSession = false);
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("a/#")));
        s.World.Broker.Restart(keepSessions: true);
        Assert.True(s.RunUntil(() => s.World.Network.LinksOpened == 2 && s.Client.IsConnected, TimeSpan.FromSeconds(30)), s.Describe());
        s.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(1, SubscribesSent(s));
        Assert.Contains(s.Transitions, t => t.Trigger == "ConnAckSessionPresent");
        Assert.Equal([false, true], s.Events.Where(e => e.Event.Change == MqttConnectionChange.Connected).Select(e => e.Event.SessionPresent));
        s.AssertConformant();
    }

    [Fact]
    public void A_session_made_while_its_CONNACK_was_lost_is_not_trusted_and_subscriptions_are_restored()
    {
        // Found by the model checker: the broker loses the session, makes an empty one for a CONNECT whose CONNACK is then
        // lost, and calls it "present" on the next connect. SessionInDoubt makes the client restore subscriptions anyway.
        var s = new Scenario(57, o => o.CleanSession = false);
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("a/#")));
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.ConnAck, 1);
        s.World.Broker.Restart(keepSessions: false);
        Assert.True(s.RunUntil(() => s.World.Network.LinksOpened == 3 && s.Client.IsConnected, TimeSpan.FromSeconds(30)), s.Describe());
        s.RunFor(TimeSpan.FromSeconds(1));

        Assert.Contains(s.Transitions, t => t is { Trigger: "ConnAckSessionPresent", To: "Connected" });
        Assert.True(s.World.Broker.SubscriptionsOf(Scenario.ClientId).ContainsKey("a/#"), s.Describe());
        s.AssertConformant();
    }

    [Fact]
    public void A_refused_subscription_throws_with_the_filter_and_is_not_restored()
    {
        var s = new Scenario(53);
        s.World.Broker.Faults.RejectSubscriptionsTo("secret/#");
        s.Connect();
        Task<MqttQualityOfService> subscribe = s.Start(c => c.SubscribeAsync("secret/#"));
        s.RunUntil(() => subscribe.IsCompleted, TimeSpan.FromSeconds(5));
        var error = Assert.IsType<MqttSubscribeException>(Scenario.Failure(subscribe));
        Assert.Equal("secret/#", error.TopicFilter);
        Assert.Contains("access rules", error.Message, StringComparison.Ordinal);

        s.World.Broker.Restart(keepSessions: false);
        Assert.True(s.RunUntil(() => s.Client.IsConnected && s.World.Network.LinksOpened == 2, TimeSpan.FromSeconds(30)));
        s.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(1, SubscribesSent(s));
        s.AssertConformant();
    }

    [Fact]
    public void Under_MQTT_5_a_refused_subscription_carries_the_SUBACK_reason_code()
    {
        var s = new Scenario(153, o => o.ProtocolVersion = MqttProtocolVersion.V500);
        s.World.Broker.Faults.RejectSubscriptionsTo("secret/#");
        s.World.Broker.Faults.FilterRefusalCode = 0x87;
        s.Connect();
        Task<MqttQualityOfService> subscribe = s.Start(c => c.SubscribeAsync("secret/#"));
        s.RunUntil(() => subscribe.IsCompleted, TimeSpan.FromSeconds(5));

        var error = Assert.IsType<MqttSubscribeException>(Scenario.Failure(subscribe));
        Assert.Equal(("secret/#", 0x87), (error.TopicFilter, error.ReasonCode));
        Assert.Contains("Not authorized (0x87)", error.Message, StringComparison.Ordinal);
        s.AssertConformant();
    }

    [Fact]
    public void Under_MQTT_5_a_refused_unsubscribe_fails_with_its_filter_code_and_reason_and_is_not_restored()
    {
        var s = new Scenario(154, o => o.ProtocolVersion = MqttProtocolVersion.V500);
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("keep/#")));
        s.Await(s.Start(c => c.SubscribeAsync("other/#")));
        s.World.Broker.Faults.RejectSubscriptionsTo("keep/#");
        s.World.Broker.Faults.FilterRefusalCode = 0x87;
        Task unsubscribe = s.Start(c => c.UnsubscribeAsync("keep/#"));
        s.RunUntil(() => unsubscribe.IsCompleted, TimeSpan.FromSeconds(5));

        // Never a silent success [MQTT-3.11.3]: the call fails saying which filter, which code and the broker's words.
        var error = Assert.IsType<MqttUnsubscribeException>(Scenario.Failure(unsubscribe));
        Assert.Equal(("keep/#", 0x87), (error.TopicFilter, error.ReasonCode));
        Assert.Contains("Not authorized (0x87)", error.Message, StringComparison.Ordinal);
        Assert.Contains("refused by the test's broker", error.Message, StringComparison.Ordinal);
        s.Await(s.Start(c => c.UnsubscribeAsync("other/#"))); // an accepted one still completes
        s.AssertConformant();
    }

    [Fact]
    public void A_lost_SUBACK_makes_the_link_suspect_and_the_request_is_sent_again_on_the_next()
    {
        var s = new Scenario(54);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.SubAck, 1);
        Task<MqttQualityOfService> subscribe = s.Start(c => c.SubscribeAsync("a/#"));
        Assert.Equal(MqttQualityOfService.AtLeastOnce, s.Await(subscribe, TimeSpan.FromSeconds(20)));
        Assert.Contains(s.Transitions, t => t is { From: "Connected", Trigger: "ResponseTimeout" });
        Assert.Equal(2, s.World.Network.LinksOpened);
        s.AssertConformant();
    }

    [Fact]
    public void An_unsubscribed_filter_is_not_restored()
    {
        var s = new Scenario(55);
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("a/#")));
        s.Await(s.Start(c => c.SubscribeAsync("b/#")));
        s.Await(s.Start(c => c.UnsubscribeAsync("a/#")));
        s.World.Broker.Restart(keepSessions: false);
        Assert.True(s.RunUntil(() => s.World.Broker.SubscriptionsOf(Scenario.ClientId).Count == 1, TimeSpan.FromSeconds(30)), s.Describe());
        Assert.True(s.World.Broker.SubscriptionsOf(Scenario.ClientId).ContainsKey("b/#"));
        s.AssertConformant();
    }

    [Fact]
    public void A_subscribe_made_while_disconnected_is_sent_once_the_link_is_up()
    {
        var s = new Scenario(56);
        s.World.Network.ConnectFault = Simulation.Network.ConnectFault.NetworkDown;
        _ = s.Start(c => c.ConnectAsync());
        Task<MqttQualityOfService> subscribe = s.Start(c => c.SubscribeAsync("a/#"));
        s.RunFor(TimeSpan.FromSeconds(10));
        Assert.False(subscribe.IsCompleted);
        s.World.Network.ConnectFault = Simulation.Network.ConnectFault.None;
        s.Await(subscribe, TimeSpan.FromSeconds(20));
        s.AssertConformant();
    }
}
