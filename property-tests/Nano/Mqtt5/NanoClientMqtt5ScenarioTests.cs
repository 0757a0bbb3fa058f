using StateMachineMqtt.Nano.Client;
using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Nano.Mqtt5;

/// <summary>
/// The device client speaking MQTT 5 to the fake broker (which decodes with core's v5 codec) on virtual time: session
/// expiry across a reconnect, message properties both ways, subscription options and identifiers, Topic Aliases both
/// ways, reason codes on PUBACK, PUBREC, SUBACK, UNSUBACK and the broker's DISCONNECT, the CONNACK terms (Receive
/// Maximum, Maximum Packet Size, Server Keep Alive, Assigned Client Identifier), and malformed input.
/// </summary>
public sealed class NanoClientMqtt5ScenarioTests
{
    private static NanoClientHarness V5(bool cleanSession = true, Action<NanoMqttOptions>? configure = null) =>
        new(cleanSession: cleanSession, version: MqttProtocolVersion.V500, configure: configure);

    [Fact]
    public void Session_expiry_keeps_the_session_across_a_reconnect_so_nothing_is_resubscribed()
    {
        using var h = V5(cleanSession: false, o => o.SessionExpirySeconds = 3600);
        h.Broker.SessionPresent = true; // the broker keeps what the session expiry asks it to keep
        h.Client.Subscribe("cmd/#", 1);
        h.ConnectAndWait();
        h.RunUntil(() => h.Client.IsSubscribed("cmd/#"));

        h.Socket.Reset();
        h.RunUntil(() => h.Broker.Connection == 2 && h.Client.IsConnected);
        h.RunFor(1000);

        ConnectPacket[] connects = [.. h.Broker.All<ConnectPacket>()];
        Assert.Equal(2, connects.Length);
        Assert.All(connects, c => Assert.Equal(3600u, c.Properties?.SessionExpiryInterval));
        Assert.All(connects, c => Assert.False(c.CleanSession)); // Clean Start 0: resume [MQTT-3.1.2-4]
        Assert.Equal((uint)h.Options.ReceiveBufferSize, connects[0].Properties?.MaximumPacketSize);
        Assert.Single(h.Broker.All<SubscribePacket>()); // session present: not resubscribed (I8 holds through the broker)
        Assert.True(h.Client.IsSubscribed("cmd/#"));
    }

    [Fact]
    public void Without_session_expiry_a_clean_client_asks_for_none_and_is_resubscribed_after_a_reconnect()
    {
        using var h = V5();
        h.Broker.SessionPresent = true; // it would keep one, but the CONNECT asked for no expiry
        h.Client.Subscribe("cmd/#", 1);
        h.ConnectAndWait();
        h.Socket.Reset();
        h.RunUntil(() => h.Broker.Connection == 2 && h.Client.IsSubscribed("cmd/#"));
        h.RunFor(1000);

        Assert.All(h.Broker.All<ConnectPacket>(), c => Assert.Null(c.Properties?.SessionExpiryInterval));
        Assert.Equal(2, h.Broker.All<SubscribePacket>().Count());
    }

    [Fact]
    public void Message_properties_go_out_as_given_and_come_in_to_the_application()
    {
        using var h = V5();
        h.Client.Subscribe("in/#", 1);
        h.ConnectAndWait();
        var properties = new NanoProperties
        {
            PayloadFormatIndicator = 1,
            MessageExpiryInterval = 300,
            ContentType = "application/json",
            ResponseTopic = "reply/esp32",
            CorrelationData = [1, 2, 3],
        };
        properties.AddUserProperty("site", "north");
        properties.AddUserProperty("site", "north"); // repeats are kept, in order
        Assert.True(h.Client.Publish("out/state", "{}"u8.ToArray(), 1, false, properties));
        h.RunUntil(() => h.Client.HeldCount == 0);

        MqttProperties sent = Assert.Single(h.Broker.All<PublishPacket>()).Properties!;
        Assert.Equal((byte)1, sent.PayloadFormatIndicator);
        Assert.Equal(300u, sent.MessageExpiryInterval);
        Assert.Equal("application/json", sent.ContentType);
        Assert.Equal("reply/esp32", sent.ResponseTopic);
        Assert.Equal(new byte[] { 1, 2, 3 }, sent.CorrelationData!.Value.ToArray());
        Assert.Equal([new MqttUserProperty("site", "north"), new MqttUserProperty("site", "north")], sent.UserProperties);

        var incoming = new MqttProperties { ContentType = "text/plain", MessageExpiryInterval = 9, ResponseTopic = "back", CorrelationData = new byte[] { 9 } };
        incoming.UserProperties.Add(new MqttUserProperty("k", "v"));
        h.Broker.Send(new PublishPacket("in/x", "hi"u8.ToArray(), MqttQualityOfService.AtLeastOnce, false, false, 5, incoming));
        h.RunUntil(() => h.Events.Messages.Count == 1);

        NanoProperties got = Assert.Single(h.Events.Properties)!;
        Assert.Equal("text/plain", got.ContentType);
        Assert.Equal(9, got.MessageExpiryInterval);
        Assert.Equal("back", got.ResponseTopic);
        Assert.Equal(new byte[] { 9 }, got.CorrelationData);
        Assert.Equal(("k", "v"), (got.UserProperties![0].Name, got.UserProperties[0].Value));
        h.RunUntil(() => h.Broker.All<PubAckPacket>().Any()); // acknowledged once taken
    }

    [Fact]
    public void Subscription_options_and_identifiers_go_out_and_the_identifiers_are_delivered()
    {
        using var h = V5();
        h.Client.Subscribe("cmd/#", 1, new NanoSubscriptionOptions { NoLocal = true, RetainAsPublished = true, RetainHandling = 2, SubscriptionIdentifier = 7 });
        h.ConnectAndWait();
        h.RunUntil(() => h.Client.IsSubscribed("cmd/#"));

        SubscribePacket subscribe = Assert.Single(h.Broker.All<SubscribePacket>());
        Assert.Equal([7u], subscribe.Properties!.SubscriptionIdentifiers);
        TopicSubscription filter = Assert.Single(subscribe.Subscriptions);
        Assert.Equal(("cmd/#", MqttQualityOfService.AtLeastOnce, true, true, 2), (filter.TopicFilter, filter.QualityOfService, filter.NoLocal, filter.RetainAsPublished, filter.RetainHandling));

        var matched = new MqttProperties();
        matched.SubscriptionIdentifiers.AddRange([7u, 300u]);
        h.Broker.Send(new PublishPacket("cmd/go", new byte[] { 1 }, MqttQualityOfService.AtMostOnce, false, false, 0, matched));
        h.RunUntil(() => h.Events.Messages.Count == 1);
        Assert.Equal([7, 300], h.Events.Properties[0]!.SubscriptionIdentifiers);

        // A new session restores the subscription with its options and identifier (I8).
        h.Socket.Reset();
        h.RunUntil(() => h.Broker.All<SubscribePacket>().Count() == 2);
        SubscribePacket restored = h.Broker.All<SubscribePacket>().Last();
        Assert.Equal([7u], restored.Properties!.SubscriptionIdentifiers);
        Assert.True(restored.Subscriptions[0].NoLocal);
    }

    [Fact]
    public void Outbound_topic_aliases_are_used_within_the_broker_s_maximum_and_forgotten_with_the_link()
    {
        using var h = V5(configure: o => o.OutboundTopicAliases = 4);
        h.Broker.ConnAckProperties = new MqttProperties { TopicAliasMaximum = 1 }; // the broker's bound is the lower
        h.ConnectAndWait();
        foreach (string topic in new[] { "plant/line1/temperature", "plant/line1/temperature", "plant/line1/pressure", "plant/line1/temperature" })
        {
            Assert.True(h.Client.Publish(topic, [1], 1, false));
            h.RunUntil(() => h.Client.HeldCount == 0);
        }

        PublishPacket[] sent = [.. h.Broker.All<PublishPacket>()];
        Assert.Equal(("plant/line1/temperature", (ushort?)1), (sent[0].Topic, sent[0].Properties?.TopicAlias)); // sets alias 1
        Assert.Equal(("", (ushort?)1), (sent[1].Topic, sent[1].Properties?.TopicAlias)); // uses it
        Assert.Equal(("plant/line1/pressure", (ushort?)null), (sent[2].Topic, sent[2].Properties?.TopicAlias)); // none left
        Assert.Equal(("", (ushort?)1), (sent[3].Topic, sent[3].Properties?.TopicAlias));
        Assert.Equal(["plant/line1/temperature", "plant/line1/temperature", "plant/line1/pressure", "plant/line1/temperature"], h.Broker.Resolved.Select(p => p.Topic));

        h.Socket.Reset();
        h.RunUntil(() => h.Broker.Connection == 2 && h.Client.IsConnected);
        Assert.True(h.Client.Publish("plant/line1/temperature", [2], 1, false));
        h.RunUntil(() => h.Client.HeldCount == 0);
        PublishPacket again = h.Broker.All<PublishPacket>().Last();
        Assert.Equal(("plant/line1/temperature", (ushort?)1), (again.Topic, again.Properties?.TopicAlias)); // set anew on the new link
    }

    [Fact]
    public void No_outbound_alias_goes_when_the_broker_gives_no_Topic_Alias_Maximum()
    {
        using var h = V5(configure: o => o.OutboundTopicAliases = 4);
        h.ConnectAndWait();
        Assert.True(h.Client.Publish("a/b", [1], 0, false));
        Assert.True(h.Client.Publish("a/b", [1], 0, false));
        h.RunFor(500);
        Assert.All(h.Broker.All<PublishPacket>(), p => Assert.Equal(("a/b", (ushort?)null), (p.Topic, p.Properties?.TopicAlias)));
    }

    [Fact]
    public void Inbound_topic_aliases_are_resolved_and_one_above_the_maximum_closes_the_link()
    {
        using var h = V5(configure: o => o.TopicAliasMaximum = 2);
        h.Client.Subscribe("in/#", 0);
        h.ConnectAndWait();
        Assert.Equal((ushort?)2, h.Broker.All<ConnectPacket>().Single().Properties?.TopicAliasMaximum);
        h.Broker.Send(new PublishPacket("in/long/topic", new byte[] { 1 }, MqttQualityOfService.AtMostOnce, false, false, 0, new MqttProperties { TopicAlias = 2 }));
        h.Broker.Send(new PublishPacket("", new byte[] { 2 }, MqttQualityOfService.AtMostOnce, false, false, 0, new MqttProperties { TopicAlias = 2 }));
        h.RunUntil(() => h.Events.Messages.Count == 2);
        Assert.Equal(["in/long/topic", "in/long/topic"], h.Events.Messages.Select(m => m.Topic));

        h.Broker.Send(new PublishPacket("in/x", new byte[] { 3 }, MqttQualityOfService.AtMostOnce, false, false, 0, new MqttProperties { TopicAlias = 3 }));
        h.RunUntil(() => h.Broker.Connection == 2 && h.Client.IsConnected);
        Assert.Contains("Topic Alias 3", h.Client.LastError, StringComparison.Ordinal);
        Assert.Equal(2, h.Events.Messages.Count); // not delivered

        // The aliases were the old link's: an empty topic with alias 2 is now unknown, a protocol error again.
        h.Broker.Send(new PublishPacket("", new byte[] { 4 }, MqttQualityOfService.AtMostOnce, false, false, 0, new MqttProperties { TopicAlias = 2 }));
        h.RunUntil(() => h.Broker.Connection == 3 && h.Client.IsConnected);
        Assert.Contains("no earlier PUBLISH on this link set", h.Client.LastError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_refusing_PUBACK_or_PUBREC_fails_the_publish_with_its_reason_code(int qos)
    {
        using var h = V5();
        h.ConnectAndWait();
        h.Broker.PublishReasonCode = 0x87;
        h.Broker.PublishReasonString = "no writes to plant/#";
        Assert.True(h.Client.Publish("plant/x", [1], qos, false));
        h.RunUntil(() => h.Client.HeldCount == 0);

        var failure = Assert.Single(h.Events.PublishFailures);
        Assert.Equal(("plant/x", 0x87), (failure.Topic, failure.ReasonCode));
        Assert.Contains("no writes to plant/#", failure.Reason, StringComparison.Ordinal);
        Assert.Equal(0x87, h.Client.LastReasonCode);
        Assert.Contains("0x87", h.Client.LastError, StringComparison.Ordinal);
        Assert.Equal(0, h.Client.Statistics.Acknowledged); // failed, never counted as a success
        Assert.Empty(h.Broker.All<PubRelPacket>()); // a refused QoS 2 flow ends without PUBREL
        Assert.True(h.Client.IsConnected); // a refusal is not a protocol error
    }

    [Fact]
    public void A_PUBACK_with_a_success_code_completes_the_publish()
    {
        using var h = V5();
        h.ConnectAndWait();
        h.Broker.PublishReasonCode = 0x10; // No matching subscribers: not a failure [MQTT-2.4]
        Assert.True(h.Client.Publish("plant/x", [1], 1, false));
        h.RunUntil(() => h.Client.HeldCount == 0);
        Assert.Empty(h.Events.PublishFailures);
        Assert.Equal(1, h.Client.Statistics.Acknowledged);
    }

    [Fact]
    public void The_broker_s_DISCONNECT_reason_reaches_the_application_and_the_client_reconnects()
    {
        using var h = V5();
        h.ConnectAndWait();
        h.Broker.Send(new DisconnectPacket(0x8B, new MqttProperties { ReasonString = "maintenance", ServerReference = "other:1883" }));
        h.RunUntil(() => h.Events.Changes.Count == 2);
        Assert.False(h.Events.Changes[1].Up);
        Assert.Equal(0x8B, h.Client.LastReasonCode);
        Assert.Contains("0x8B (Server shutting down): maintenance", h.Client.LastError, StringComparison.Ordinal);
        Assert.Contains("other:1883", h.Client.LastError, StringComparison.Ordinal);
        h.RunUntil(() => h.Client.IsConnected && h.Broker.Connection == 2);
    }

    [Fact]
    public void Disconnect_with_a_reason_code_sends_it_as_core_reads_it_and_0x00_stays_the_two_byte_packet()
    {
        using var h = V5();
        h.ConnectAndWait();
        h.Client.Disconnect(0x04); // Disconnect with Will Message
        h.RunUntil(() => h.Broker.All<DisconnectPacket>().Any());
        Assert.Equal(0x04, h.Broker.All<DisconnectPacket>().Single().ReasonCode);

        Assert.Throws<ArgumentException>(() => h.Client.Disconnect(0x8B)); // Server shutting down: the server's alone
    }

    [Fact]
    public void Receive_Maximum_bounds_the_publishes_awaiting_an_answer()
    {
        using var h = V5(configure: o => o.QueueLength = 8);
        h.Broker.ConnAckProperties = new MqttProperties { ReceiveMaximum = 2 };
        h.ConnectAndWait();
        h.Broker.PubAcksToDrop = 100; // nothing is answered
        for (int i = 0; i < 5; i++)
        {
            Assert.True(h.Client.Publish("t/" + i, [1], 1, false));
        }

        h.RunFor(2000);
        Assert.Equal(2, h.Broker.All<PublishPacket>().Count()); // [MQTT-4.9.0-2]
        h.Broker.PubAcksToDrop = 0;
        h.Socket.Reset(); // MQTT 5 re-sends only on a new link; then two at a time until all are answered
        h.RunUntil(() => h.Client.HeldCount == 0);
        Assert.Equal(5, h.Broker.Delivered.Select(p => p.Topic).Distinct().Count());
    }

    [Fact]
    public void A_PUBLISH_over_the_broker_s_Maximum_Packet_Size_is_refused()
    {
        using var h = V5();
        Assert.True(h.Client.Publish("big", new byte[200], 1, false)); // taken before the limit is known
        h.Broker.ConnAckProperties = new MqttProperties { MaximumPacketSize = 64 };
        h.ConnectAndWait();
        h.RunUntil(() => h.Client.HeldCount == 0);
        var failure = Assert.Single(h.Events.PublishFailures);
        Assert.Equal(("big", -1), (failure.Topic, failure.ReasonCode));
        Assert.Contains("Maximum Packet Size of 64", failure.Reason, StringComparison.Ordinal);
        Assert.Empty(h.Broker.All<PublishPacket>()); // never sent [MQTT-3.2.2-15]

        var refused = Assert.Throws<ArgumentException>(() => h.Client.Publish("big", new byte[200], 1, false));
        Assert.Contains("broker's Maximum Packet Size of 64", refused.Message, StringComparison.Ordinal);
        Assert.True(h.Client.Publish("small", new byte[10], 1, false));
        h.RunUntil(() => h.Client.HeldCount == 0);
        Assert.Single(h.Broker.All<PublishPacket>());
    }

    [Fact]
    public void Server_Keep_Alive_and_an_Assigned_Client_Identifier_are_taken_from_CONNACK()
    {
        using var h = V5(configure: o => o.Connect.ClientId = "");
        h.Broker.ConnAckProperties = new MqttProperties { ServerKeepAlive = 2, AssignedClientIdentifier = "auto-17" };
        h.ConnectAndWait();
        h.RunFor(1000);
        Assert.Contains(h.Broker.All<PingReqPacket>(), _ => true); // pinged every 2 s / 4, not 60 s / 4 [MQTT-3.2.2-21]
        h.Socket.Reset();
        h.RunUntil(() => h.Broker.Connection == 2 && h.Client.IsConnected);
        Assert.Equal(["", "auto-17"], h.Broker.All<ConnectPacket>().Select(c => c.ClientId)); // reused [MQTT-3.2.2-16]
    }

    [Fact]
    public void A_refusing_SUBACK_or_UNSUBACK_is_reported_with_its_reason_code()
    {
        using var h = V5();
        h.ConnectAndWait();
        h.Broker.SubAckReasonCode = 0x87;
        h.Client.Subscribe("secret/#", 1);
        h.RunFor(500);
        Assert.False(h.Client.IsSubscribed("secret/#"));
        Assert.Equal(0x87, h.Client.LastReasonCode);
        Assert.Contains("SUBACK 0x87", h.Client.LastError, StringComparison.Ordinal);

        h.Broker.SubAckReasonCode = null;
        h.Client.Subscribe("open/#", 1);
        h.RunUntil(() => h.Client.IsSubscribed("open/#"));
        h.Broker.UnsubAckReasonCode = 0x8F;
        h.Broker.UnsubAckReasonString = "no such filter here";
        h.Client.Unsubscribe("open/#");
        h.RunFor(500);
        Assert.Equal(0x8F, h.Client.LastReasonCode);
        Assert.Contains("UNSUBACK 0x8F): no such filter here", h.Client.LastError, StringComparison.Ordinal);
        Assert.Contains("0x8F means Topic Filter invalid", h.Client.LastError, StringComparison.Ordinal);
        Assert.Contains("0x87 means Not authorized", h.Events.RequestFailures[0].Reason, StringComparison.Ordinal);

        // Each an event with its filter and code, as a refused publish is (INanoMqtt5Events).
        Assert.Equal([(true, "secret/#", 0x87), (false, "open/#", 0x8F)], h.Events.RequestFailures.Select(f => (f.Subscribe, f.Filter, f.ReasonCode)));
        Assert.Equal(h.Client.LastError, h.Events.RequestFailures[1].Reason);
        Assert.True(h.Client.IsConnected); // a refusal is not a protocol error
    }

    [Fact]
    public void A_refused_unsubscribe_is_not_restored_and_a_refused_restore_is_an_event_too()
    {
        using var h = V5();
        h.Client.Subscribe("a/#", 1);
        h.Client.Subscribe("b/#", 1);
        h.ConnectAndWait();
        h.RunUntil(() => h.Client.IsSubscribed("a/#") && h.Client.IsSubscribed("b/#"));
        h.Broker.UnsubAckReasonCode = 0x87;
        h.Client.Unsubscribe("a/#");
        h.RunUntil(() => h.Events.RequestFailures.Count == 1);
        Assert.Equal((false, "a/#", 0x87), (h.Events.RequestFailures[0].Subscribe, h.Events.RequestFailures[0].Filter, h.Events.RequestFailures[0].ReasonCode));

        // A new session: the refused unsubscribe is not undone (a/# is not restored); the restore of b/# is refused.
        h.Broker.SubAckReasonCode = 0x97; // Quota exceeded
        h.Socket.Reset();
        h.RunUntil(() => h.Broker.Connection == 2 && h.Events.RequestFailures.Count == 2);
        SubscribePacket restore = h.Broker.All<SubscribePacket>().Last();
        Assert.Equal(["b/#"], restore.Subscriptions.Select(x => x.TopicFilter));
        Assert.Equal((true, "b/#", 0x97), (h.Events.RequestFailures[1].Subscribe, h.Events.RequestFailures[1].Filter, h.Events.RequestFailures[1].ReasonCode));
        Assert.False(h.Client.IsSubscribed("b/#"));
    }

    [Fact]
    public void Under_3_1_1_a_refused_subscription_is_in_LastError_only()
    {
        using var h = new NanoClientHarness();
        h.ConnectAndWait();
        h.Broker.SubAckReasonCode = 0x80;
        h.Client.Subscribe("secret/#", 1);
        h.RunFor(500);
        Assert.Contains("SUBACK 0x80", h.Client.LastError, StringComparison.Ordinal);
        Assert.Equal(-1, h.Client.LastReasonCode);
        Assert.Empty(h.Events.RequestFailures); // INanoMqtt5Events is an MQTT 5 client's
    }

    [Fact]
    public void A_refusing_CONNACK_fails_the_connect_with_what_to_fix()
    {
        using var h = V5();
        h.Broker.ConnAckCode = (ConnectReturnCode)0x86;
        h.Client.Connect();
        h.RunUntil(() => h.Events.Failures.Count > 0);
        Assert.Contains("0x86 (Bad User Name or Password)", h.Events.Failures[0], StringComparison.Ordinal);
        Assert.Contains("UserName and Password", h.Events.Failures[0], StringComparison.Ordinal);
        Assert.Equal(0x86, h.Client.LastReasonCode);
    }

    [Fact]
    public void Malformed_v5_input_closes_the_link_and_the_client_reconnects()
    {
        using var h = V5();
        h.ConnectAndWait();
        foreach (byte b in Protocol.PacketBytes.FromHex("30 0E 0001 61 0A 0200000001 0200000002")) // Message Expiry Interval twice
        {
            h.Broker.ToDevice.Enqueue(b);
        }

        h.RunUntil(() => h.Broker.Connection == 2 && h.Client.IsConnected);
        Assert.Contains("more than once", h.Client.LastError, StringComparison.Ordinal);
        Assert.Empty(h.Events.Messages);
    }

    [Fact]
    public void What_a_client_may_not_ask_is_refused_with_what_to_change()
    {
        using var v311 = new NanoClientHarness();
        Assert.Contains("need MQTT 5", Assert.Throws<ArgumentException>(() => v311.Client.Publish("t", [1], 1, false, new NanoProperties { ContentType = "x" })).Message, StringComparison.Ordinal);
        Assert.Contains("need MQTT 5", Assert.Throws<ArgumentException>(() => v311.Client.Subscribe("t", 1, new NanoSubscriptionOptions { NoLocal = true })).Message, StringComparison.Ordinal);
        Assert.Contains("need MQTT 5", Assert.Throws<ArgumentException>(() => new NanoClientHarness(configure: o => o.SessionExpirySeconds = 60)).Message, StringComparison.Ordinal);

        using var h = V5();
        Assert.Contains("only a broker sends", Assert.Throws<ArgumentException>(() => h.Client.Publish("t", [1], 1, false, new NanoProperties { SubscriptionIdentifiers = [1] })).Message, StringComparison.Ordinal);
        Assert.Contains("not allowed in PUBLISH", Assert.Throws<ArgumentException>(() => h.Client.Publish("t", [1], 1, false, new NanoProperties { SessionExpiryInterval = 5 })).Message, StringComparison.Ordinal);
        Assert.Contains("must be a topic name", Assert.Throws<ArgumentException>(() => h.Client.Publish("t", [1], 1, false, new NanoProperties { ResponseTopic = "a/#" })).Message, StringComparison.Ordinal);
        Assert.Contains("from 0 to 1", Assert.Throws<ArgumentException>(() => h.Client.Publish("t", [1], 1, false, new NanoProperties { PayloadFormatIndicator = 2 })).Message, StringComparison.Ordinal);
        Assert.Contains("RetainHandling", Assert.Throws<ArgumentException>(() => h.Client.Subscribe("t", 1, new NanoSubscriptionOptions { RetainHandling = 3 })).Message, StringComparison.Ordinal);
        Assert.Contains("shared subscription", Assert.Throws<ArgumentException>(() => h.Client.Subscribe("$share/g/t", 1, new NanoSubscriptionOptions { NoLocal = true })).Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Client.HeldCount);
    }
}
