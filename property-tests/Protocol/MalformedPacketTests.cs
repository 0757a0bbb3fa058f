using System.Buffers;
using StateMachineMqtt.Protocol;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Protocol;

/// <summary>
/// One example per rule the reader enforces: hand-written bytes that break it, and the words the message must contain.
/// Each example is decoded both as one segment and as one-byte segments, which must fail the same way.
/// </summary>
public sealed class MalformedPacketTests
{
    private const string Connect = "10 0D 00 04 4D 51 54 54"; // CONNECT, remaining length 13, protocol name "MQTT"

    [Theory]
    [InlineData("00 00", "Packet type 0 is reserved")]
    [InlineData("F0 00", "Packet type 15 is reserved")]
    [InlineData("11 00", "CONNECT fixed-header flags are 0b0001; they must be 0b0000")]
    [InlineData("21 02 00 00", "CONNACK fixed-header flags are 0b0001")]
    [InlineData("41 02 00 01", "PUBACK fixed-header flags are 0b0001")]
    [InlineData("51 02 00 01", "PUBREC fixed-header flags")]
    [InlineData("60 02 00 01", "PUBREL fixed-header flags are 0b0000; they must be 0b0010")]
    [InlineData("72 02 00 01", "PUBCOMP fixed-header flags are 0b0010; they must be 0b0000")]
    [InlineData("80 06 00 01 00 01 61 00", "SUBSCRIBE fixed-header flags are 0b0000; they must be 0b0010")]
    [InlineData("92 03 00 01 00", "SUBACK fixed-header flags")]
    [InlineData("A0 05 00 01 00 01 61", "UNSUBSCRIBE fixed-header flags are 0b0000; they must be 0b0010")]
    [InlineData("B8 02 00 01", "UNSUBACK fixed-header flags")]
    [InlineData("C1 00", "PINGREQ fixed-header flags")]
    [InlineData("D2 00", "PINGRESP fixed-header flags")]
    [InlineData("E4 00", "DISCONNECT fixed-header flags")]
    [InlineData("C0 FF FF FF FF 01", "Remaining Length field is longer than 4 bytes")]
    [InlineData("30 80 80 80 80", "Remaining Length field is longer than 4 bytes")] // known before a sixth byte arrives
    public void Fixed_header_violations_are_refused(string hex, string expected) => AssertRefused(hex, expected);

    [Theory]
    [InlineData("36 05 00 03 61 2F 62", "PUBLISH has QoS 3")]
    [InlineData("38 05 00 03 61 2F 62", "PUBLISH at QoS 0 has the DUP flag set")]
    [InlineData("32 07 00 03 61 2F 62 00 00", "PUBLISH has packet identifier 0")]
    [InlineData("32 05 00 03 61 2F 62", "PUBLISH packet identifier needs 2 byte(s) but only 0 remain")]
    [InlineData("30 04 00 02 C3 28", "PUBLISH topic is not valid UTF-8")]
    [InlineData("30 05 00 03 ED A0 80", "PUBLISH topic is not valid UTF-8")] // an encoded surrogate, U+D800
    [InlineData("30 04 00 02 C0 80", "PUBLISH topic is not valid UTF-8")] // an overlong U+0000
    [InlineData("30 05 00 03 61 00 62", "PUBLISH topic contains the null character U+0000")]
    [InlineData("30 05 00 03 61 2F 2B", "PUBLISH topic \"a/+\" contains a wildcard")]
    [InlineData("30 05 00 03 61 2F 23", "PUBLISH topic \"a/#\" contains a wildcard")]
    [InlineData("30 02 00 00", "PUBLISH topic is empty")]
    [InlineData("30 05 00 0A 61 2F 62", "PUBLISH topic needs 10 byte(s) but only 3 remain")]
    [InlineData("30 01 00", "PUBLISH topic length needs 2 byte(s) but only 1 remain")]
    public void Publish_violations_are_refused(string hex, string expected) => AssertRefused(hex, expected);

    [Theory]
    [InlineData("40 02 00 00", "PUBACK has packet identifier 0")]
    [InlineData("50 02 00 00", "PUBREC has packet identifier 0")]
    [InlineData("62 02 00 00", "PUBREL has packet identifier 0")]
    [InlineData("70 02 00 00", "PUBCOMP has packet identifier 0")]
    [InlineData("B0 02 00 00", "UNSUBACK has packet identifier 0")]
    [InlineData("40 01 00", "PUBACK packet identifier needs 2 byte(s) but only 1 remain")]
    [InlineData("40 03 00 01 00", "PUBACK has 1 unexpected byte(s)")]
    [InlineData("C0 01 00", "PINGREQ has 1 unexpected byte(s)")]
    [InlineData("D0 02 00 00", "PINGRESP has 2 unexpected byte(s)")]
    [InlineData("E0 01 00", "DISCONNECT has 1 unexpected byte(s)")]
    public void Acknowledgement_and_empty_packet_violations_are_refused(string hex, string expected) => AssertRefused(hex, expected);

    [Theory]
    [InlineData("20 02 02 00", "CONNACK acknowledge flags are 0x02; bits 7-1 are reserved")]
    [InlineData("20 02 80 00", "CONNACK acknowledge flags are 0x80")]
    [InlineData("20 02 00 06", "CONNACK return code 6 is reserved")]
    [InlineData("20 02 01 05", "CONNACK refuses the connection (return code 5) yet sets session present")]
    [InlineData("20 03 00 00 00", "CONNACK has 1 unexpected byte(s)")]
    [InlineData("20 01 00", "CONNACK return code needs 1 byte(s) but only 0 remain")]
    public void Connack_violations_are_refused(string hex, string expected) => AssertRefused(hex, expected);

    [Theory]
    [InlineData("82 02 00 01", "SUBSCRIBE has no topic filters")]
    [InlineData("82 06 00 00 00 01 61 00", "SUBSCRIBE has packet identifier 0")]
    [InlineData("82 06 00 01 00 01 61 03", "requested QoS byte for \"a\" is 0x03")]
    [InlineData("82 06 00 01 00 01 61 04", "requested QoS byte for \"a\" is 0x04")] // reserved upper bits [MQTT-3.8.3-4]
    [InlineData("82 05 00 01 00 01 61", "SUBSCRIBE requested QoS needs 1 byte(s) but only 0 remain")]
    [InlineData("82 05 00 01 00 00 00", "SUBSCRIBE has an empty topic filter")]
    [InlineData("82 07 00 01 00 02 61 23 00", "SUBSCRIBE topic filter \"a#\" has a '#' that is not a whole, last level")]
    [InlineData("82 08 00 01 00 03 23 2F 61 00", "SUBSCRIBE topic filter \"#/a\" has a '#' that is not a whole, last level")]
    [InlineData("82 07 00 01 00 02 61 2B 00", "SUBSCRIBE topic filter \"a+\" has a '+' that does not fill a whole level")]
    [InlineData("82 06 00 01 00 01 00 00", "SUBSCRIBE topic filter contains the null character")]
    [InlineData("90 02 00 01", "SUBACK has no return codes")]
    [InlineData("90 03 00 00 00", "SUBACK has packet identifier 0")]
    [InlineData("90 03 00 01 03", "SUBACK return code 0x03 is reserved")]
    [InlineData("90 04 00 01 00 81", "SUBACK return code 0x81 is reserved")]
    [InlineData("A2 02 00 01", "UNSUBSCRIBE has no topic filters")]
    [InlineData("A2 05 00 01 00 01 FF", "UNSUBSCRIBE topic filter is not valid UTF-8")]
    [InlineData("A2 06 00 01 00 02 2B 61", "UNSUBSCRIBE topic filter \"+a\" has a '+' that does not fill a whole level")]
    [InlineData("A2 06 00 01 00 03 61 62", "UNSUBSCRIBE topic filter needs 3 byte(s) but only 2 remain")]
    public void Subscription_packet_violations_are_refused(string hex, string expected) => AssertRefused(hex, expected);

    [Theory]
    [InlineData("10 0F 00 06 4D 51 49 73 64 70 03 02 00 3C 00 01 61", "CONNECT protocol name is \"MQIsdp\", not \"MQTT\"")] // MQTT 3.1
    [InlineData(Connect + " 05 02 00 3C 00 01 61", "CONNECT protocol level is 5; MQTT 3.1.1 is level 4")]
    [InlineData(Connect + " 04 03 00 3C 00 01 61", "CONNECT flags have the reserved bit 0 set")]
    [InlineData(Connect + " 04 0A 00 3C 00 01 61", "CONNECT flags set will QoS or will retain without the will flag")]
    [InlineData(Connect + " 04 22 00 3C 00 01 61", "CONNECT flags set will QoS or will retain without the will flag")]
    [InlineData(Connect + " 04 1E 00 3C 00 01 61", "CONNECT will QoS is 3")]
    [InlineData(Connect + " 04 42 00 3C 00 01 61", "CONNECT flags set the password flag without the user name flag")]
    [InlineData(Connect + " 04 02 00 3C 00 01 FF", "CONNECT client identifier is not valid UTF-8")]
    [InlineData(Connect + " 04 82 00 3C 00 01 61", "CONNECT user name length needs 2 byte(s) but only 0 remain")]
    [InlineData("10 0E 00 04 4D 51 54 54 04 02 00 3C 00 01 61 00", "CONNECT has 1 unexpected byte(s)")]
    [InlineData("10 14 00 04 4D 51 54 54 04 06 00 3C 00 01 61 00 03 61 2F 23 00 00", "CONNECT will topic \"a/#\" contains a wildcard")]
    [InlineData("10 04 00 04 4D 51", "CONNECT protocol name needs 4 byte(s) but only 2 remain")]
    public void Connect_violations_are_refused(string hex, string expected) => AssertRefused(hex, expected);

    [Fact]
    public void An_oversized_packet_is_refused_from_its_header_alone_with_its_size_and_the_limit()
    {
        // Only the 5 header bytes of a SUBACK announcing 268,435,455 more have arrived.
        var buffer = new ReadOnlySequence<byte>(PacketBytes.FromHex("90 FF FF FF 7F"));

        var error = Assert.Throws<MqttProtocolException>(() => MqttPacketReader.TryRead(ref buffer, 1024, out _));

        Assert.Contains("SUBACK of 268,435,460 bytes exceeds the maximum packet size of 1,024 bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("30 80")]
    [InlineData("30 FF FF FF")]
    [InlineData("30 0A 00 03 61 2F")]
    public void An_incomplete_packet_asks_for_more_and_leaves_the_buffer_untouched(string hex)
    {
        byte[] bytes = PacketBytes.FromHex(hex);
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.False(MqttPacketReader.TryRead(ref buffer, PacketBytes.NoLimit, out var packet));

        Assert.Null(packet);
        Assert.Equal(bytes.Length, buffer.Length);
    }

    [Fact]
    public void A_maximum_packet_size_below_two_is_a_caller_error()
    {
        var buffer = new ReadOnlySequence<byte>(PacketBytes.FromHex("C0 00"));

        Assert.Throws<ArgumentOutOfRangeException>(() => MqttPacketReader.TryRead(ref buffer, 1, out _));
    }

    private static void AssertRefused(string hex, string expected)
    {
        byte[] bytes = PacketBytes.FromHex(hex);
        var whole = new ReadOnlySequence<byte>(bytes);
        ReadOnlySequence<byte> byteByByte = SegmentedSequence.Create(SegmentedSequence.Cut(bytes, Enumerable.Repeat(1, bytes.Length)));

        foreach (ReadOnlySequence<byte> input in new[] { whole, byteByByte })
        {
            ReadOnlySequence<byte> buffer = input;
            var error = Assert.Throws<MqttProtocolException>(() => MqttPacketReader.TryRead(ref buffer, PacketBytes.NoLimit, out _));
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
            Assert.Equal(bytes.Length, buffer.Length);
        }
    }
}
