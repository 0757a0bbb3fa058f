using System.Buffers;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Protocol;

/// <summary>
/// Packets a caller can get wrong are refused with ArgumentException on the "packet" parameter, a message saying what
/// to fix, and nothing written.
/// </summary>
public sealed class WriterValidationTests
{
    private const MqttQualityOfService Qos0 = MqttQualityOfService.AtMostOnce;
    private const MqttQualityOfService Qos1 = MqttQualityOfService.AtLeastOnce;
    private const MqttQualityOfService NoSuchQos = (MqttQualityOfService)3;

    private static readonly string TooLong = new('a', 65_536);
    private static readonly byte[] TooLongBytes = new byte[65_536];

    public static TheoryData<PacketCase, string> InvalidPackets => new()
    {
        { new ConnectPacket(TooLong, true, 60), "CONNECT client identifier is 65,536 UTF-8 bytes; MQTT strings hold at most 65,535" },
        { new ConnectPacket("\uD800x", true, 60), "CONNECT client identifier contains an unpaired UTF-16 surrogate" },
        { new ConnectPacket("id", true, 60, UserName: "a\0b"), "CONNECT user name contains the null character U+0000" },
        { new ConnectPacket("id", true, 60, Password: new byte[] { 1 }), "CONNECT has a password but no user name" },
        { new ConnectPacket("", false, 60), "empty client identifier must set CleanSession" },
        { new ConnectPacket("id", true, 60, UserName: "u", Password: TooLongBytes), "CONNECT password is 65,536 bytes" },
        { new ConnectPacket("id", true, 60, Will: new MqttWill("w", TooLongBytes, Qos0, false)), "CONNECT will message is 65,536 bytes" },
        { new ConnectPacket("id", true, 60, Will: new MqttWill("w/#", ReadOnlyMemory<byte>.Empty, Qos0, false)), "contains a wildcard" },
        { new ConnectPacket("id", true, 60, Will: new MqttWill("w", ReadOnlyMemory<byte>.Empty, NoSuchQos, false)), "CONNECT will: QoS 3 does not exist" },
        { new ConnAckPacket(false, (ConnectReturnCode)6), "CONNACK return code 6 is reserved" },
        { new ConnAckPacket(true, ConnectReturnCode.ServerUnavailable), "must not set SessionPresent" },
        { Publish(TooLong, Qos0, 0), "longer than 65,535 UTF-8 bytes" },
        { Publish("a/+", Qos0, 0), "contains a wildcard" },
        { Publish("", Qos0, 0), "must not be empty" },
        { Publish("a\uDC00", Qos0, 0), "topic contains an unpaired UTF-16 surrogate" },
        { Publish("a", Qos1, 0), "PUBLISH at QoS 1 needs a non-zero packet identifier" },
        { Publish("a", Qos0, 5), "PUBLISH at QoS 0 carries no packet identifier, but PacketId is 5" },
        { Publish("a", Qos0, 0) with { Dup = true }, "PUBLISH at QoS 0 must not set DUP" },
        { Publish("a", NoSuchQos, 1), "PUBLISH: QoS 3 does not exist" },
        { Publish("a/b", Qos0, 0) with { Payload = new ClaimedMemory(268_435_451).Claimed }, "PUBLISH would be 268,435,456 bytes after its fixed header; MQTT allows at most 268,435,455" },
        { new PubAckPacket(0), "PUBACK needs a non-zero packet identifier" },
        { new PubRecPacket(0), "PUBREC needs a non-zero packet identifier" },
        { new PubRelPacket(0), "PUBREL needs a non-zero packet identifier" },
        { new PubCompPacket(0), "PUBCOMP needs a non-zero packet identifier" },
        { new UnsubAckPacket(0), "UNSUBACK needs a non-zero packet identifier" },
        { new SubscribePacket(0, [new TopicSubscription("a", Qos0)]), "SUBSCRIBE needs a non-zero packet identifier" },
        { new SubscribePacket(1, []), "SUBSCRIBE needs at least one topic filter" },
        { new SubscribePacket(1, null!), "SUBSCRIBE needs at least one topic filter" },
        { new SubscribePacket(1, [new TopicSubscription("a#", Qos0)]), "'#' must be a whole level and the last one" },
        { new SubscribePacket(1, [new TopicSubscription("a", NoSuchQos)]), "SUBSCRIBE to \"a\": QoS 3 does not exist" },
        { new SubAckPacket(0, [0]), "SUBACK needs a non-zero packet identifier" },
        { new SubAckPacket(1, []), "SUBACK needs one return code per topic filter" },
        { new SubAckPacket(1, [0, 3]), "SUBACK return code 0x03 (index 1) is reserved" },
        { new UnsubscribePacket(0, ["a"]), "UNSUBSCRIBE needs a non-zero packet identifier" },
        { new UnsubscribePacket(1, []), "UNSUBSCRIBE needs at least one topic filter" },
        { new UnsubscribePacket(1, ["a/b+"]), "'+' must fill a whole level" },
        { new AlienPacket(), "AlienPacket is not an MQTT 3.1.1 packet this writer knows" },
    };

    [Theory]
    [MemberData(nameof(InvalidPackets))]
    public void An_invalid_packet_is_refused_with_a_message_saying_what_to_fix_and_nothing_written(PacketCase packetCase, string expected)
    {
        MqttPacket packet = packetCase.Packet;
        var output = new ArrayBufferWriter<byte>();

        var error = Assert.ThrowsAny<ArgumentException>(() => MqttPacketWriter.Write(packet, output));

        Assert.Equal("packet", error.ParamName);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void The_longest_allowed_string_is_written()
    {
        var packet = new ConnectPacket(new string('€', 21_845), CleanSession: true, KeepAliveSeconds: 0); // 65,535 UTF-8 bytes

        PacketEquality.AssertEqual(packet, PacketBytes.DecodeSingle(PacketBytes.Encode(packet)));
    }

    private static PublishPacket Publish(string topic, MqttQualityOfService qos, ushort packetId) =>
        new(topic, ReadOnlyMemory<byte>.Empty, qos, Retain: false, Dup: false, packetId);

    private sealed record AlienPacket : MqttPacket
    {
        public override MqttPacketType Type => (MqttPacketType)15;
    }
}
