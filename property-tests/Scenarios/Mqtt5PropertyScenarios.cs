using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>
/// MQTT 5 message properties through the real client and the simulated broker: sent as given, kept on a re-send after an
/// outage, handed to the application on receipt, counted in a PUBLISH's size, and refused where MQTT says a client may not
/// send them.
/// </summary>
public class Mqtt5PropertyScenarios
{
    private static readonly MqttMessageProperties Full = new()
    {
        PayloadFormat = MqttPayloadFormat.Utf8,
        MessageExpiryInterval = TimeSpan.FromMinutes(5),
        ContentType = "application/json",
        ResponseTopic = "replies/c",
        CorrelationData = new byte[] { 1, 2, 3 },
        UserProperties = [new("trace", "abc"), new("trace", "def"), new("unit", "°C")],
    };

    private static Scenario V5(int seed, Action<MqttClientOptions>? configure = null) => new(seed, o =>
    {
        o.ProtocolVersion = MqttProtocolVersion.V500;
        configure?.Invoke(o);
    });

    private static void AssertSame(MqttMessageProperties expected, MqttMessageProperties? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.PayloadFormat, actual.PayloadFormat);
        Assert.Equal(expected.MessageExpiryInterval, actual.MessageExpiryInterval);
        Assert.Equal(expected.ContentType, actual.ContentType);
        Assert.Equal(expected.ResponseTopic, actual.ResponseTopic);
        Assert.Equal(expected.CorrelationData?.ToArray(), actual.CorrelationData?.ToArray());
        Assert.Equal(expected.UserProperties, actual.UserProperties);
    }

    [Theory]
    [InlineData(MqttQualityOfService.AtMostOnce)]
    [InlineData(MqttQualityOfService.AtLeastOnce)]
    [InlineData(MqttQualityOfService.ExactlyOnce)]
    public void Properties_go_out_as_given_and_come_back_to_a_subscriber(MqttQualityOfService qos)
    {
        var s = V5(700);
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("t", MqttQualityOfService.AtLeastOnce)));
        Task<MqttMessage> next = s.World.Start(async () =>
        {
            await foreach (MqttMessage m in s.Client.ReadMessagesAsync())
            {
                return m;
            }

            throw new InvalidOperationException("the stream ended");
        });

        s.Await(s.Start(c => c.PublishAsync("t", "{}"u8.ToArray(), qos, false, Full)));
        MqttMessage received = s.Await(next);

        PublishPacket sent = Assert.Single(s.World.Broker.ReceivedFrom(Scenario.ClientId).Select(r => r.Packet).OfType<PublishPacket>());
        Assert.Equal("application/json", sent.Properties?.ContentType);
        Assert.Equal(300u, sent.Properties?.MessageExpiryInterval);
        Assert.Equal("{}", received.PayloadText);
        AssertSame(Full, received.Properties);
        s.AssertConformant();
    }

    [Fact]
    public void A_re_send_after_an_outage_carries_the_same_properties()
    {
        var s = V5(701, o => o.CleanSession = false);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubAck, 1);
        s.Await(s.Start(c => c.PublishAsync("t", new byte[] { 7 }, MqttQualityOfService.AtLeastOnce, false, Full)), TimeSpan.FromSeconds(60));

        List<PublishPacket> sent = [.. s.World.Broker.ReceivedFrom(Scenario.ClientId).Select(r => r.Packet).OfType<PublishPacket>()];
        Assert.Equal(2, sent.Count);
        Assert.True(sent[1].Dup);
        Assert.Equal(2, s.World.Network.LinksOpened);
        Assert.All(sent, p => Assert.Equal(Full.UserProperties, p.Properties?.UserProperties));
        s.AssertConformant();
    }

    [Fact]
    public void A_message_without_properties_has_none_on_receipt()
    {
        var s = V5(702);
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("t", MqttQualityOfService.AtLeastOnce)));
        var received = new List<MqttMessage>();
        _ = s.World.Start(async () =>
        {
            await foreach (MqttMessage m in s.Client.ReadMessagesAsync())
            {
                received.Add(m);
            }
        });

        s.World.Broker.Publish("t", new byte[] { 1 });
        Assert.True(s.RunUntil(() => received.Count == 1, TimeSpan.FromSeconds(5)), s.Describe());
        Assert.Null(received[0].Properties);
    }

    [Fact]
    public void Properties_count_toward_the_size_limit()
    {
        // 100-byte limit: the payload alone fits, with the user property it does not.
        var s = V5(704, o => o.MaximumPacketSize = 100);
        s.Connect();
        byte[] payload = new byte[80];
        s.Await(s.Start(c => c.PublishAsync("t", payload, MqttQualityOfService.AtLeastOnce)));
        Task refused = s.Start(c => c.PublishAsync("t", payload, MqttQualityOfService.AtLeastOnce, false,
            new MqttMessageProperties { UserProperties = [new("k", new string('v', 20))] }));
        s.RunFor(TimeSpan.FromMilliseconds(10));
        ArgumentException e = Assert.IsType<ArgumentException>(Scenario.Failure(refused), exactMatch: false);
        Assert.Contains("MaximumPacketSize (100 bytes)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Under_3_1_1_properties_are_refused_with_what_to_change()
    {
        var s = new Scenario(705);
        s.Connect();
        var e = Assert.Throws<ArgumentException>(() => { _ = s.Client.PublishAsync("t", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce, false, Full); });
        Assert.Contains("ProtocolVersion = MqttProtocolVersion.V500", e.Message, StringComparison.Ordinal);
        Assert.Equal("properties", e.ParamName);
    }

    [Fact]
    public void A_will_with_properties_needs_MQTT_5_and_whole_seconds_and_its_properties_go_in_CONNECT()
    {
        var will = new MqttWillMessage("w", "bye"u8.ToArray()) { Properties = Full, DelayInterval = TimeSpan.FromSeconds(30) };
        var v311 = new MqttClientOptions { ClientId = "c", Will = will };
        Assert.Contains("need MQTT 5", Assert.Throws<ArgumentException>(v311.Validate).Message, StringComparison.Ordinal);
        var fractional = new MqttClientOptions { ClientId = "c", ProtocolVersion = MqttProtocolVersion.V500, Will = will with { DelayInterval = TimeSpan.FromMilliseconds(10) } };
        Assert.Contains("whole seconds", Assert.ThrowsAny<ArgumentException>(fractional.Validate).Message, StringComparison.Ordinal);

        var s = V5(707, o => o.Will = will);
        s.Connect();
        ConnectPacket connect = Assert.Single(s.World.Broker.ReceivedFrom(Scenario.ClientId).Select(r => r.Packet).OfType<ConnectPacket>());
        Assert.Equal(30u, connect.Will?.Properties?.WillDelayInterval);
        Assert.Equal("application/json", connect.Will?.Properties?.ContentType);
        Assert.Equal(Full.UserProperties, connect.Will?.Properties?.UserProperties);
    }

    [Fact]
    public void CONNECT_carries_the_user_properties_and_the_request_for_no_problem_information()
    {
        var s = V5(708, o =>
        {
            o.ConnectUserProperties = [new("model", "esp32-s3"), new("fw", "1.2")];
            o.RequestProblemInformation = false;
        });
        s.Connect();
        ConnectPacket connect = Assert.Single(s.World.Broker.ReceivedFrom(Scenario.ClientId).Select(r => r.Packet).OfType<ConnectPacket>());
        Assert.Equal([new MqttUserProperty("model", "esp32-s3"), new MqttUserProperty("fw", "1.2")], connect.Properties?.UserProperties);
        Assert.Equal((byte)0, connect.Properties?.RequestProblemInformation);

        var plain = V5(709);
        plain.Connect();
        Assert.Null(Assert.Single(plain.World.Broker.ReceivedFrom(Scenario.ClientId).Select(r => r.Packet).OfType<ConnectPacket>()).Properties?.RequestProblemInformation);

        Assert.Contains("MQTT 5 settings", Assert.Throws<ArgumentException>(new MqttClientOptions { ClientId = "c", ConnectUserProperties = [new("a", "b")] }.Validate).Message, StringComparison.Ordinal);
        Assert.Contains("U+0000", Assert.ThrowsAny<ArgumentException>(new MqttClientOptions { ClientId = "c", ProtocolVersion = MqttProtocolVersion.V500, ConnectUserProperties = [new("a\0", "b")] }.Validate).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("subscription")]
    [InlineData("fraction")]
    [InlineData("zero")]
    [InlineData("wildcard")]
    [InlineData("null-char")]
    public void Values_a_client_may_not_send_are_refused_at_the_call(string what)
    {
        var s = V5(706);
        s.Connect();
        MqttMessageProperties bad = what switch
        {
            "subscription" => new() { SubscriptionIdentifiers = [1] },
            "fraction" => new() { MessageExpiryInterval = TimeSpan.FromMilliseconds(1500) },
            "zero" => new() { MessageExpiryInterval = TimeSpan.Zero },
            "wildcard" => new() { ResponseTopic = "replies/#" },
            _ => new() { ContentType = "a\0b" },
        };

        var e = Assert.ThrowsAny<ArgumentException>(() => { _ = s.Client.PublishAsync("t", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce, false, bad); });
        Assert.Equal("properties", e.ParamName);
        Assert.Contains(what switch
        {
            "subscription" => "only a broker sends",
            "fraction" or "zero" => "whole seconds",
            "wildcard" => "ResponseTopic",
            _ => "U+0000",
        }, e.Message, StringComparison.Ordinal);
    }
}
