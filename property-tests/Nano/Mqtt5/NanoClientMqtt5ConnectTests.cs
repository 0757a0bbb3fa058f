using StateMachineMqtt.Nano.Client;
using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Nano.Mqtt5;

/// <summary>
/// The device's MQTT 5 CONNECT settings on the fake broker (which decodes with core's v5 codec): the will's properties
/// and delay, CONNECT User Properties, Request Problem Information, Request Response Information (and the CONNACK's
/// Response Information), the client's Receive Maximum; and what a client may not ask, refused when it is made with what
/// to change. <see cref="Mqtt5ConnectConformanceTests"/> holds the same settings against the desktop client.
/// </summary>
public sealed class NanoClientMqtt5ConnectTests
{
    private static NanoClientHarness V5(Action<NanoMqttOptions>? configure = null) =>
        new(version: MqttProtocolVersion.V500, configure: configure);

    private static NanoProperties WillProperties()
    {
        var will = new NanoProperties
        {
            WillDelayInterval = 30,
            PayloadFormatIndicator = 1,
            MessageExpiryInterval = 600,
            ContentType = "text/plain",
            ResponseTopic = "will/replies",
            CorrelationData = [7, 8],
        };
        will.AddUserProperty("reason", "lost");
        return will;
    }

    private static void Will(NanoMqttOptions o)
    {
        o.Connect.WillTopic = "will/esp32";
        o.Connect.WillPayload = "gone"u8.ToArray();
        o.Connect.WillQos = 1;
        o.Connect.WillProperties = WillProperties();
    }

    [Fact]
    public void The_will_s_properties_and_delay_go_in_every_CONNECT()
    {
        using var h = V5(Will);
        h.ConnectAndWait();
        h.Socket.Reset();
        h.RunUntil(() => h.Broker.Connection == 2 && h.Client.IsConnected);

        ConnectPacket[] connects = [.. h.Broker.All<ConnectPacket>()];
        Assert.Equal(2, connects.Length);
        foreach (ConnectPacket connect in connects)
        {
            MqttWill will = connect.Will!;
            Assert.Equal(("will/esp32", "gone", MqttQualityOfService.AtLeastOnce), (will.Topic, System.Text.Encoding.UTF8.GetString(will.Payload.Span), will.QualityOfService));
            MqttProperties p = will.Properties!;
            Assert.Equal(30u, p.WillDelayInterval);
            Assert.Equal((byte)1, p.PayloadFormatIndicator);
            Assert.Equal(600u, p.MessageExpiryInterval);
            Assert.Equal("text/plain", p.ContentType);
            Assert.Equal("will/replies", p.ResponseTopic);
            Assert.Equal(new byte[] { 7, 8 }, p.CorrelationData!.Value.ToArray());
            Assert.Equal([new MqttUserProperty("reason", "lost")], p.UserProperties);
        }
    }

    [Fact]
    public void A_will_without_properties_goes_with_an_empty_property_section()
    {
        using var h = V5(o => { o.Connect.WillTopic = "will/esp32"; o.Connect.WillPayload = [1]; });
        h.ConnectAndWait();
        ConnectPacket connect = Assert.Single(h.Broker.All<ConnectPacket>());
        Assert.Equal("will/esp32", connect.Will!.Topic);
        Assert.Null(connect.Will.Properties);
    }

    [Fact]
    public void CONNECT_carries_the_user_properties_the_request_flags_and_the_Receive_Maximum()
    {
        using var h = V5(o =>
        {
            o.ConnectUserProperties = [new NanoUserProperty("model", "esp32-s3"), new NanoUserProperty("fw", "1.2")];
            o.RequestProblemInformation = false;
            o.RequestResponseInformation = true;
            o.ReceiveMaximum = 4;
        });
        h.ConnectAndWait();
        MqttProperties p = Assert.Single(h.Broker.All<ConnectPacket>()).Properties!;
        Assert.Equal([new MqttUserProperty("model", "esp32-s3"), new MqttUserProperty("fw", "1.2")], p.UserProperties);
        Assert.Equal((byte)0, p.RequestProblemInformation);
        Assert.Equal((byte)1, p.RequestResponseInformation);
        Assert.Equal((ushort)4, p.ReceiveMaximum);
    }

    [Fact]
    public void By_default_CONNECT_sends_none_of_them()
    {
        using var h = V5(o => o.ConnectUserProperties = []); // empty is none
        h.ConnectAndWait();
        MqttProperties? p = Assert.Single(h.Broker.All<ConnectPacket>()).Properties;
        Assert.Null(p?.RequestProblemInformation); // absent means 1: the broker may explain
        Assert.Null(p?.RequestResponseInformation);
        Assert.Null(p?.ReceiveMaximum); // absent means 65,535
        Assert.Empty(p?.UserProperties ?? []);
        Assert.Null(h.Client.ResponseInformation);
    }

    [Fact]
    public void Response_Information_comes_from_each_accepted_CONNACK()
    {
        using var h = V5(o => o.RequestResponseInformation = true);
        h.Broker.ConnAckProperties = new MqttProperties { ResponseInformation = "replies/esp32/" };
        h.ConnectAndWait();
        Assert.Equal("replies/esp32/", h.Client.ResponseInformation);

        h.Broker.ConnAckProperties = null; // the next broker offers none: the old one is not kept
        h.Socket.Reset();
        h.RunUntil(() => h.Broker.Connection == 2 && h.Client.IsConnected);
        Assert.Null(h.Client.ResponseInformation);

        using var v311 = new NanoClientHarness();
        v311.ConnectAndWait();
        Assert.Null(v311.Client.ResponseInformation);
    }

    [Fact]
    public void A_3_1_1_client_made_with_default_options_sends_the_3_1_1_CONNECT()
    {
        using var h = new NanoClientHarness(configure: o => { o.Connect.WillTopic = "w"; o.Connect.WillPayload = [1]; });
        h.ConnectAndWait();
        ConnectPacket connect = Assert.Single(h.Broker.All<ConnectPacket>());
        Assert.Null(connect.Properties);
        Assert.Null(connect.Will!.Properties);
    }

    public static TheoryData<string, string> Refused311 => new()
    {
        { "ConnectUserProperties", "NanoMqttOptions.ConnectUserProperties is an MQTT 5 setting" },
        { "RequestProblemInformation", "NanoMqttOptions.RequestProblemInformation is an MQTT 5 setting" },
        { "RequestResponseInformation", "NanoMqttOptions.RequestResponseInformation is an MQTT 5 setting" },
        { "ReceiveMaximum", "NanoMqttOptions.ReceiveMaximum is an MQTT 5 setting" },
        { "WillProperties", "NanoConnectOptions.WillProperties is an MQTT 5 setting" },
    };

    [Theory]
    [MemberData(nameof(Refused311))]
    public void Under_3_1_1_each_MQTT_5_CONNECT_setting_is_refused_saying_what_to_change(string setting, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => new NanoClientHarness(configure: o => Set311(o, setting)));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("ProtocolVersion = MqttProtocolVersion.V500, or leave it", e.Message, StringComparison.Ordinal);
    }

    internal static void Set311(NanoMqttOptions o, string setting)
    {
        switch (setting)
        {
            case "ConnectUserProperties": o.ConnectUserProperties = [new NanoUserProperty("a", "b")]; break;
            case "RequestProblemInformation": o.RequestProblemInformation = false; break;
            case "RequestResponseInformation": o.RequestResponseInformation = true; break;
            case "ReceiveMaximum": o.ReceiveMaximum = 10; break;
            default:
                o.Connect.WillTopic = "w";
                o.Connect.WillProperties = new NanoProperties { ContentType = "text/plain" };
                break;
        }
    }

    public static TheoryData<string, string> RefusedV5 => new()
    {
        { "receive-maximum-negative", "NanoMqttOptions.ReceiveMaximum must be from 1 to 65,535, or 0 to send none" },
        { "receive-maximum-too-large", "not 65536" },
        { "will-properties-without-will", "set WillTopic (and WillPayload) too, or leave WillProperties null" },
        { "will-subscription-identifier", "SubscriptionIdentifier (0x0B) property is not allowed in CONNECT will" },
        { "will-topic-alias", "TopicAlias (0x23) property is not allowed in CONNECT will" },
        { "will-session-expiry", "SessionExpiryInterval (0x11) property is not allowed in CONNECT will" },
        { "will-response-topic-wildcard", "A responder publishes to it, so it must be a topic name" },
        { "will-payload-format", "PayloadFormatIndicator (0x01) is 2; it must be from 0 to 1" },
        { "will-delay-too-large", "WillDelayInterval (0x18) is 4294967296" },
        { "user-property-null-entry", "The CONNECT User Properties hold a null entry" },
        { "user-property-nul", "contains U+0000" },
    };

    [Theory]
    [MemberData(nameof(RefusedV5))]
    public void What_an_MQTT_5_client_may_not_ask_in_CONNECT_is_refused_when_it_is_made(string case_, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => V5(o =>
        {
            switch (case_)
            {
                case "receive-maximum-negative": o.ReceiveMaximum = -1; break;
                case "receive-maximum-too-large": o.ReceiveMaximum = 65536; break;
                case "will-properties-without-will": o.Connect.WillProperties = WillProperties(); break;
                case "user-property-null-entry": o.ConnectUserProperties = [null!]; break;
                case "user-property-nul": o.ConnectUserProperties = [new NanoUserProperty("a\0", "b")]; break;
                default:
                    Will(o);
                    NanoProperties will = o.Connect.WillProperties!;
                    switch (case_)
                    {
                        case "will-subscription-identifier": will.SubscriptionIdentifiers = [1]; break;
                        case "will-topic-alias": will.TopicAlias = 3; break;
                        case "will-session-expiry": will.SessionExpiryInterval = 5; break;
                        case "will-response-topic-wildcard": will.ResponseTopic = "replies/+"; break;
                        case "will-payload-format": will.PayloadFormatIndicator = 2; break;
                        default: will.WillDelayInterval = 4294967296L; break;
                    }

                    break;
            }
        }));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CONNECT_and_will_properties_are_refused_in_a_PUBLISH()
    {
        using var h = V5();
        Assert.Contains("WillDelayInterval (0x18) property is not allowed in PUBLISH", Assert.Throws<ArgumentException>(() => h.Client.Publish("t", [1], 1, false, new NanoProperties { WillDelayInterval = 5 })).Message, StringComparison.Ordinal);
        Assert.Contains("RequestResponseInformation (0x19) property is not allowed in PUBLISH", Assert.Throws<ArgumentException>(() => h.Client.Publish("t", [1], 1, false, new NanoProperties { RequestResponseInformation = 1 })).Message, StringComparison.Ordinal);
        Assert.Contains("ResponseInformation (0x1A) property is not allowed in PUBLISH", Assert.Throws<ArgumentException>(() => h.Client.Publish("t", [1], 1, false, new NanoProperties { ResponseInformation = "x" })).Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Client.HeldCount);
    }

    [Fact]
    public void The_3_1_1_CONNECT_writer_refuses_will_properties_and_the_v5_one_a_will_s_properties_without_a_will()
    {
        var buffer = new byte[256];
        var v311 = new NanoConnectOptions { ClientId = "c", WillTopic = "w", WillPayload = [1], WillProperties = new NanoProperties() };
        Assert.Contains("need MQTT 5", Assert.Throws<ArgumentException>(() => NanoPacketWriter.WriteConnect(buffer, 0, v311)).Message, StringComparison.Ordinal);
        var noWill = new NanoConnectOptions { ClientId = "c", WillProperties = new NanoProperties { ContentType = "x" } };
        Assert.Contains("no will", Assert.Throws<ArgumentException>(() => NanoPacketWriter.WriteConnect5(buffer, 0, noWill, "c", true, null)).Message, StringComparison.Ordinal);
    }
}
