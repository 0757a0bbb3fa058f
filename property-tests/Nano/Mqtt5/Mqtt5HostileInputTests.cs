using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.PropertyTests.Protocol;

namespace StateMachineMqtt.PropertyTests.Nano.Mqtt5;

/// <summary>
/// The malformed MQTT 5 inputs named by the issue, each built by hand: the device refuses each with NanoProtocolException
/// (and a message saying what was wrong), and core's reader refuses it too.
/// </summary>
public sealed class Mqtt5HostileInputTests
{
    [Theory]
    [InlineData("40 05 0001 00 05 1F", "run past")] // PUBACK: property length 5, one byte there
    [InlineData("40 04 0001 00 80", "property length")] // PUBACK: a property length that is not a whole Variable Byte Integer
    [InlineData("30 0E 0001 61 0A 0200000001 0200000002", "more than once")] // PUBLISH: Message Expiry Interval twice
    [InlineData("30 06 0001 61 02 0500", "does not define")] // PUBLISH: property 0x05 is not MQTT 5's
    [InlineData("40 09 0001 00 05 1100000001", "may not")] // PUBACK: Session Expiry Interval is CONNECT's, CONNACK's and DISCONNECT's
    [InlineData("40 03 0001 05", "does not define")] // PUBACK: reason code 0x05
    [InlineData("40 03 0001 8B", "may not")] // PUBACK: 0x8B Server shutting down is DISCONNECT's alone
    [InlineData("E0 01 87 ", "")] // DISCONNECT: 0x87 Not authorized is allowed; see the next
    [InlineData("E0 01 85", "may not")] // DISCONNECT: 0x85 Client Identifier not valid is CONNACK's
    [InlineData("30 07 0001 61 02 0B00 7A", "outside")] // PUBLISH: Subscription Identifier 0
    [InlineData("30 08 0001 61 03 230000 7A", "outside")] // PUBLISH: Topic Alias 0
    [InlineData("30 04 0000 00 7A", "empty")] // PUBLISH: an empty topic and no Topic Alias
    [InlineData("20 03 01 87 00", "Session Present")] // CONNACK: refusing, yet Session Present
    [InlineData("90 04 0001 00 04", "may not")] // SUBACK: 0x04 Disconnect with Will Message is DISCONNECT's
    [InlineData("B0 03 0001 00", "no reason codes")] // UNSUBACK: no reason codes
    [InlineData("40 05 0001 00 00 FF", "after its last field")] // PUBACK: a byte after the properties
    [InlineData("20 07 00 00 04 160001AA", "no Authentication Method")] // CONNACK: Authentication Data alone (3.2.2.3.18)
    [InlineData("20 0B 00 00 08 160001AA 1F000178", "no Authentication Method")] // CONNACK: Authentication Data and a Reason String, no method
    [InlineData("F0 06 18 04 160001AA", "no Authentication Method")] // AUTH: Authentication Data alone (3.15.2.2.3)
    [InlineData("C0 80 00", "minimum number of bytes")] // PINGREQ: Remaining Length 0 in two bytes [MQTT-1.5.5-1]
    [InlineData("40 83 80 00 0001 00", "minimum number of bytes")] // PUBACK: Remaining Length 3 in three bytes
    [InlineData("40 05 0001 00 8000", "minimum number of bytes")] // PUBACK: property length 0 in two bytes
    [InlineData("40 0C 0001 00 08 A600 00016B 000176", "minimum number of bytes")] // PUBACK: User Property identifier 0x26 in two bytes
    [InlineData("30 08 0001 61 03 0B8100 7A", "minimum number of bytes")] // PUBLISH: Subscription Identifier 1 in two bytes
    [InlineData("30 0A 0001 61 05 0BFFFFFF00 7A", "minimum number of bytes")] // PUBLISH: Subscription Identifier 2,097,151 in four bytes
    public void Malformed_v5_input_raises_NanoProtocolException(string hex, string says)
    {
        byte[] bytes = PacketBytes.FromHex(hex);
        (string core, string nano) = NanoPacketTranslation5.Verdicts(bytes);
        if (says.Length == 0)
        {
            Assert.StartsWith("packet DISCONNECT 135", nano); // the well-formed control case is taken by both
            Assert.Equal(core, nano);
            return;
        }

        var error = Assert.Throws<NanoProtocolException>(() => NanoPacketReader.TryRead5(bytes, 0, bytes.Length, 4096, new NanoPacket(), out _));
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
        Assert.Equal(CodecVerdict.Refused, core);
    }

    [Theory]
    [InlineData("20 0C 00 00 09 1500026D31 160001AA")] // CONNACK: Authentication Method "m1", then its data
    [InlineData("20 0C 00 00 09 160001AA 1500026D31")] // the data first: property order is free
    [InlineData("F0 07 18 05 1500026D31")] // AUTH: a method alone
    public void Authentication_Data_with_its_method_is_read_alike_by_both_codecs(string hex)
    {
        (string core, string nano) = NanoPacketTranslation5.Verdicts(PacketBytes.FromHex(hex));
        Assert.StartsWith("packet ", nano, StringComparison.Ordinal);
        Assert.Equal(core, nano);
    }

    [Fact]
    public void A_remaining_length_in_more_bytes_than_it_needs_is_refused_under_MQTT_5_and_read_under_3_1_1()
    {
        // [MQTT-1.5.5-1] is MQTT 5's; MQTT 3.1.1 (2.2.3) has no rule against the longer form. Both codecs decide alike.
        byte[] bytes = PacketBytes.FromHex("40 82 00 0001");
        Assert.Equal((CodecVerdict.Refused, CodecVerdict.Refused), NanoPacketTranslation5.Verdicts(bytes));
        CodecVerdict v311 = CodecVerdict.Of(bytes);
        Assert.StartsWith("packet ", v311.Core, StringComparison.Ordinal);
        Assert.Equal(v311.Core, v311.Nano);
    }

    [Fact]
    public void An_oversized_v5_PUBLISH_is_refused_not_read_past()
    {
        // The client announced its Maximum Packet Size in CONNECT [MQTT-3.1.2-25]: unlike 3.1.1, nothing is read past.
        byte[] bytes = PacketBytes.FromHex("30 0A 0001 61 00 0102030405 06");
        Assert.Throws<NanoProtocolException>(() => NanoPacketReader.TryRead5(bytes, 0, 3, 8, new NanoPacket(), out _));
        Assert.Equal(CodecVerdict.Refused, NanoPacketTranslation5.Verdicts(bytes, 8).Core);
    }

    [Fact]
    public void The_device_writes_a_v5_CONNECT_and_PUBLISH_as_the_standard_gives_them()
    {
        // Fixed vectors beside the agreement with core: both codecs could agree on a wrong byte.
        var buffer = new byte[64];
        var connect = new NanoConnectOptions { ClientId = "d", KeepAliveSeconds = 60 };
        int length = NanoPacketWriter.WriteConnect5(buffer, 0, connect, "d", cleanStart: false, new NanoProperties { SessionExpiryInterval = 3600 });
        // MQTT, level 5, flags 0, keepalive 60, properties 5: 0x11 = 3600, client id "d"
        Assert.Equal("101300044D5154540500003C051100000E10000164", Convert.ToHexString(buffer, 0, length));
        length = NanoPacketWriter.WritePublish5(buffer, 0, "", [0xAA], 1, false, false, 7, new NanoProperties { ContentType = "t" }, topicAlias: 2);
        // topic "", id 7, properties 7: 0x03 "t", 0x23 2; payload AA
        Assert.Equal("320D000000070703000174230002AA", Convert.ToHexString(buffer, 0, length));
    }
}
