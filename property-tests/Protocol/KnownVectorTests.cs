using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Protocol;

/// <summary>
/// Byte-exact encodings, mostly the spec's own non-normative examples, so writer and reader cannot agree on a wrong
/// format between themselves. Each vector is checked in both directions.
/// </summary>
public sealed class KnownVectorTests
{
    public static TheoryData<string, PacketCase, string> Vectors => new()
    {
        { "PINGREQ [MQTT-3.12]", PingReqPacket.Instance, "C0 00" },
        { "PINGRESP [MQTT-3.13]", PingRespPacket.Instance, "D0 00" },
        { "DISCONNECT [MQTT-3.14]", DisconnectPacket.Instance, "E0 00" },
        {
            "minimal CONNECT: client id \"a\", clean session, keep alive 60",
            new ConnectPacket("a", CleanSession: true, KeepAliveSeconds: 60),
            "10 0D 00 04 4D 51 54 54 04 02 00 3C 00 01 61"
        },
        {
            // The spec's variable-header example (figure 3.6): flags 0xCE = user name, password, will QoS 1, will, clean session; keep alive 10.
            "CONNECT with the spec's example variable header",
            new ConnectPacket("c", CleanSession: true, KeepAliveSeconds: 10, UserName: "u", Password: new byte[] { 0x70 },
                Will: new MqttWill("w", new byte[] { 0x6D }, MqttQualityOfService.AtLeastOnce, Retain: false)),
            "10 19 00 04 4D 51 54 54 04 CE 00 0A 00 01 63 00 01 77 00 01 6D 00 01 75 00 01 70"
        },
        {
            "CONNECT with will retain at QoS 2 and an empty password",
            new ConnectPacket("id", CleanSession: false, KeepAliveSeconds: 0, UserName: "", Password: ReadOnlyMemory<byte>.Empty,
                Will: new MqttWill("t", ReadOnlyMemory<byte>.Empty, MqttQualityOfService.ExactlyOnce, Retain: true)),
            "10 17 00 04 4D 51 54 54 04 F4 00 00 00 02 69 64 00 01 74 00 00 00 00 00 00"
        },
        { "CONNACK accepted, session present", new ConnAckPacket(SessionPresent: true, ConnectReturnCode.Accepted), "20 02 01 00" },
        { "CONNACK not authorized", new ConnAckPacket(SessionPresent: false, ConnectReturnCode.NotAuthorized), "20 02 00 05" },
        {
            // The spec's PUBLISH example (3.3.2.3): topic "a/b", packet identifier 10.
            "PUBLISH QoS 1 from the spec's example",
            new PublishPacket("a/b", ReadOnlyMemory<byte>.Empty, MqttQualityOfService.AtLeastOnce, Retain: false, Dup: false, PacketId: 10),
            "32 07 00 03 61 2F 62 00 0A"
        },
        {
            "PUBLISH QoS 0 retained with payload",
            new PublishPacket("a/b", new byte[] { 1, 2, 3 }, MqttQualityOfService.AtMostOnce, Retain: true, Dup: false, PacketId: 0),
            "31 08 00 03 61 2F 62 01 02 03"
        },
        {
            "PUBLISH QoS 2 re-sent (DUP)",
            new PublishPacket("é", new byte[] { 0xFF }, MqttQualityOfService.ExactlyOnce, Retain: false, Dup: true, PacketId: 0x1234),
            "3C 07 00 02 C3 A9 12 34 FF"
        },
        { "PUBACK 10", new PubAckPacket(10), "40 02 00 0A" },
        { "PUBREC 10", new PubRecPacket(10), "50 02 00 0A" },
        { "PUBREL 10 (flags 0b0010)", new PubRelPacket(10), "62 02 00 0A" },
        { "PUBCOMP 65535", new PubCompPacket(65535), "70 02 FF FF" },
        {
            // The spec's SUBSCRIBE example (3.8.3.1): "a/b" at QoS 1 and "c/d" at QoS 2, packet identifier 10.
            "SUBSCRIBE from the spec's example",
            new SubscribePacket(10, [new TopicSubscription("a/b", MqttQualityOfService.AtLeastOnce), new TopicSubscription("c/d", MqttQualityOfService.ExactlyOnce)]),
            "82 0E 00 0A 00 03 61 2F 62 01 00 03 63 2F 64 02"
        },
        {
            // The spec's SUBACK example (3.9.3): granted QoS 0, granted QoS 2, failure.
            "SUBACK from the spec's example",
            new SubAckPacket(10, [0x00, 0x02, 0x80]),
            "90 05 00 0A 00 02 80"
        },
        {
            // The spec's UNSUBSCRIBE example (3.10.3.1): "a/b" and "c/d".
            "UNSUBSCRIBE from the spec's example",
            new UnsubscribePacket(10, ["a/b", "c/d"]),
            "A2 0C 00 0A 00 03 61 2F 62 00 03 63 2F 64"
        },
        { "UNSUBACK 10", new UnsubAckPacket(10), "B0 02 00 0A" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Packet_encodes_to_exactly_the_known_bytes(string description, PacketCase packetCase, string hex)
    {
        MqttPacket packet = packetCase.Packet;
        Assert.False(string.IsNullOrEmpty(description));
        Assert.Equal(Convert.ToHexString(PacketBytes.FromHex(hex)), Convert.ToHexString(PacketBytes.Encode(packet)));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Known_bytes_decode_to_the_packet(string description, PacketCase packetCase, string hex)
    {
        MqttPacket packet = packetCase.Packet;
        Assert.False(string.IsNullOrEmpty(description));
        PacketEquality.AssertEqual(packet, PacketBytes.DecodeSingle(PacketBytes.FromHex(hex)));
    }
}
