using StateMachineMqtt.Spec;
using System.Buffers;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Protocol.V5;

/// <summary>MQTT 5 encodings against known bytes, the short forms the specification allows, and the version boundary.</summary>
public sealed class Mqtt5CodecTests
{
    [Fact]
    public void A_successful_PUBACK_without_properties_is_the_short_form()
    {
        Assert.Equal([0x40, 0x02, 0x00, 0x07], Mqtt5Packets.Encode(new PubAckPacket(7)));
        Assert.Equal("PUBACK 7 0 -", Mqtt5Packets.Describe(Mqtt5Packets.Decode([0x40, 0x02, 0x00, 0x07])));
    }

    [Fact]
    public void A_PUBACK_not_authorised_carries_0x87_and_its_reason_string()
    {
        var packet = new PubAckPacket(7, 0x87, new MqttProperties { ReasonString = "no" });

        byte[] bytes = Mqtt5Packets.Encode(packet);

        Assert.Equal([0x40, 0x09, 0x00, 0x07, 0x87, 0x05, 0x1F, 0x00, 0x02, (byte)'n', (byte)'o'], bytes);
        var decoded = Assert.IsType<PubAckPacket>(Mqtt5Packets.Decode(bytes));
        Assert.Equal((byte)0x87, decoded.ReasonCode);
        Assert.Equal("no", decoded.Properties!.ReasonString);
        Assert.Equal("PUBACK 7 135 -", Mqtt5Packets.Describe(Mqtt5Packets.Decode([0x40, 0x03, 0x00, 0x07, 0x87]))); // code, no properties
    }

    [Fact]
    public void A_normal_DISCONNECT_is_two_bytes_and_AUTH_exists()
    {
        Assert.Equal([0xE0, 0x00], Mqtt5Packets.Encode(DisconnectPacket.Instance));
        Assert.Equal([0xE0, 0x01, 0x8E], Mqtt5Packets.Encode(new DisconnectPacket(0x8E)));
        Assert.Equal([0xF0, 0x00], Mqtt5Packets.Encode(new AuthPacket()));
    }

    [Fact]
    public void A_CONNECT_says_level_5_and_carries_an_empty_property_section()
    {
        byte[] bytes = Mqtt5Packets.Encode(new ConnectPacket("c", CleanSession: true, KeepAliveSeconds: 60));
        Assert.Equal([0x10, 0x0E, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x05, 0x02, 0x00, 0x3C, 0x00, 0x00, 0x01, (byte)'c'], bytes);
    }

    [Theory]
    [InlineData(0x10, "PUBACK")] // "No matching subscribers" is a PUBACK code, not a PUBREL one
    [InlineData(0x92, "PUBACK")] // "Packet Identifier not found" answers PUBREL and PUBCOMP only
    public void A_reason_code_the_packet_may_not_carry_is_refused_both_ways(byte code, string expected)
    {
        byte first = expected == "PUBACK" && code == 0x10 ? (byte)0x62 : (byte)0x40;
        var e = Assert.Throws<MqttProtocolException>(() => Mqtt5Packets.Decode([first, 0x03, 0x00, 0x07, code]));
        Assert.Contains($"0x{code:X2}", e.Message, StringComparison.Ordinal);
        MqttPacket packet = first == 0x62 ? new PubRelPacket(7, code) : new PubAckPacket(7, code);
        Assert.Throws<ArgumentException>(() => Mqtt5Packets.Encode(packet));
    }

    [Fact]
    public void Under_3_1_1_MQTT_5_content_is_refused_not_dropped()
    {
        MqttPacket[] fiveOnly =
        [
            new PubAckPacket(1, 0x87),
            new PublishPacket("t", new byte[1], MqttQualityOfService.AtMostOnce, false, false, 0, new MqttProperties { ContentType = "x" }),
            new SubscribePacket(1, [new TopicSubscription("t", MqttQualityOfService.AtLeastOnce, NoLocal: true)]),
            new AuthPacket(),
            new DisconnectPacket(0x04),
            new UnsubAckPacket(1, [0x00]),
        ];
        foreach (MqttPacket packet in fiveOnly)
        {
            var e = Assert.Throws<ArgumentException>(() => MqttPacketWriter.Write(packet, new ArrayBufferWriter<byte>()));
            Assert.Contains("MQTT 3.1.1 has no", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Under_3_1_1_packet_type_15_is_still_reserved()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0xF0, 0x00 });
        Assert.Throws<MqttProtocolException>(() => MqttPacketReader.TryRead(ref buffer, 1024, out _));
    }

    [Fact]
    public void Under_MQTT_5_an_oversized_PUBLISH_is_a_protocol_error_not_read_past()
    {
        byte[] bytes = Mqtt5Packets.Encode(new PublishPacket("t", new byte[100], MqttQualityOfService.AtLeastOnce, false, false, 1));
        var buffer = new ReadOnlySequence<byte>(bytes);
        var e = Assert.Throws<MqttProtocolException>(() => MqttPacketReader.TryRead(ref buffer, 50, MqttProtocolVersion.V500, out _));
        Assert.Contains("exceeds the maximum packet size", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_topic_is_allowed_only_with_a_topic_alias()
    {
        var aliased = new PublishPacket("", new byte[1], MqttQualityOfService.AtMostOnce, false, false, 0, new MqttProperties { TopicAlias = 3 });
        Assert.Equal("", ((PublishPacket)Mqtt5Packets.Decode(Mqtt5Packets.Encode(aliased))).Topic);
        Assert.Throws<ArgumentException>(() => Mqtt5Packets.Encode(aliased with { Properties = null }));
        Assert.Throws<MqttProtocolException>(() => Mqtt5Packets.Decode([0x30, 0x03, 0x00, 0x00, 0x00]));
    }
}
