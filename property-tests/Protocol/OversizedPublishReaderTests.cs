using System.Buffers;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Protocol;

/// <summary>
/// A PUBLISH over the maximum packet size is read past, not refused: its header (topic, QoS, packet identifier) comes out
/// as soon as it is in, and its body is skipped as it arrives, never buffered, so the message can be acknowledged and the
/// next packet read. Anything else over the limit, or a header that is itself too big or malformed, still closes the link.
/// </summary>
public sealed class OversizedPublishReaderTests
{
    private const int Limit = 64;

    private static byte[] Publish(int qos, int payloadLength, string topic = "big/t", ushort packetId = 9, bool retain = false, bool dup = false) =>
        PacketBytes.Encode(new PublishPacket(topic, new byte[payloadLength], (MqttQualityOfService)qos, retain, dup, qos == 0 ? (ushort)0 : packetId));

    /// <summary>
    /// What PacketLink does with each read: skip what is owed, then decode, then start skipping an oversized PUBLISH's body.
    /// Returns each packet once whole (an oversized one once its body is skipped) and the most bytes ever held undecoded.
    /// </summary>
    private static (List<MqttPacket> Packets, long MostHeld) ReadInChunks(byte[] bytes, int chunk, int limit)
    {
        var packets = new List<MqttPacket>();
        var pending = new List<byte>();
        OversizedPublishPacket? skipping = null;
        int skipRemaining = 0;
        long mostHeld = 0;
        for (int offset = 0; offset < bytes.Length; offset += chunk)
        {
            pending.AddRange(bytes.AsSpan(offset, Math.Min(chunk, bytes.Length - offset)).ToArray());
            mostHeld = Math.Max(mostHeld, pending.Count);
            var buffer = new ReadOnlySequence<byte>(pending.ToArray());
            while (true)
            {
                if (skipping is not null)
                {
                    MqttPacketReader.Skip(ref buffer, ref skipRemaining);
                    if (skipRemaining > 0)
                    {
                        break;
                    }

                    packets.Add(skipping);
                    skipping = null;
                    continue;
                }

                if (!MqttPacketReader.TryRead(ref buffer, limit, out MqttPacket? packet))
                {
                    break;
                }

                if (packet is OversizedPublishPacket oversized)
                {
                    skipping = oversized;
                    skipRemaining = oversized.BodyToSkip;
                    continue;
                }

                packets.Add(packet);
            }

            pending = [.. buffer.ToArray()];
        }

        Assert.Null(skipping);
        Assert.Empty(pending);
        return (packets, mostHeld);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(1, 3)]
    [InlineData(2, 7)]
    [InlineData(0, 1000)]
    public void An_oversized_PUBLISH_split_across_many_reads_is_read_past_and_the_next_packet_is_read(int qos, int chunk)
    {
        byte[] big = Publish(qos, 5_000, retain: true, dup: qos > 0);
        byte[] small = Publish(1, 3, topic: "small", packetId: 10);
        byte[] stream = [.. big, .. small];

        (List<MqttPacket> packets, long mostHeld) = ReadInChunks(stream, chunk, Limit);

        Assert.Equal(2, packets.Count);
        var oversized = Assert.IsType<OversizedPublishPacket>(packets[0]);
        Assert.Equal("big/t", oversized.Topic);
        Assert.Equal((MqttQualityOfService)qos, oversized.QualityOfService);
        Assert.True(oversized.Retain);
        Assert.Equal(qos > 0, oversized.Dup);
        Assert.Equal(qos == 0 ? 0 : 9, oversized.PacketId);
        Assert.Equal(big.Length, oversized.PacketSize);
        Assert.Equal(5_000, oversized.BodyToSkip);
        var next = Assert.IsType<PublishPacket>(packets[1]);
        Assert.Equal("small", next.Topic);

        // Never more than one read plus a header's worth is held: the 5,000-byte body is not buffered.
        Assert.True(mostHeld <= chunk + Limit, $"{mostHeld} bytes were held at once");
    }

    [Fact]
    public void A_PUBLISH_exactly_at_the_limit_is_delivered_whole_and_one_byte_over_is_read_past()
    {
        byte[] bytes = Publish(1, 40);

        var whole = Assert.IsType<PublishPacket>(PacketBytes.DecodeSingle(bytes, maximumPacketSize: bytes.Length));
        Assert.Equal(40, whole.Payload.Length);

        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.True(MqttPacketReader.TryRead(ref buffer, bytes.Length - 1, out MqttPacket? packet));
        var oversized = Assert.IsType<OversizedPublishPacket>(packet);
        Assert.Equal(bytes.Length, oversized.PacketSize);
        Assert.Equal(40, oversized.BodyToSkip);
        Assert.Equal(40, buffer.Length); // header, topic and identifier sliced off; the payload is left to skip
    }

    [Fact]
    public void The_header_is_given_as_soon_as_the_topic_and_identifier_are_in_and_not_before()
    {
        byte[] bytes = Publish(2, 1_000);
        int prefix = bytes.Length - 1_000;
        for (int have = 0; have < prefix; have++)
        {
            var partial = new ReadOnlySequence<byte>(bytes[..have]);
            Assert.False(MqttPacketReader.TryRead(ref partial, Limit, out MqttPacket? none));
            Assert.Null(none);
            Assert.Equal(have, partial.Length);
        }

        var buffer = new ReadOnlySequence<byte>(bytes[..prefix]);
        Assert.True(MqttPacketReader.TryRead(ref buffer, Limit, out MqttPacket? packet));
        Assert.Equal(9, Assert.IsType<OversizedPublishPacket>(packet).PacketId);
        Assert.Equal(0, buffer.Length);
    }

    [Fact]
    public void Skip_takes_at_most_what_is_owed_and_counts_down()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[10]);
        int remaining = 4;
        MqttPacketReader.Skip(ref buffer, ref remaining);
        Assert.Equal(0, remaining);
        Assert.Equal(6, buffer.Length);

        remaining = 20;
        MqttPacketReader.Skip(ref buffer, ref remaining);
        Assert.Equal(14, remaining);
        Assert.Equal(0, buffer.Length);
    }

    [Theory]
    [InlineData("90 C8 01", "SUBACK of 203 bytes exceeds the maximum packet size of 64 bytes")] // SUBACK announcing 200
    [InlineData("20 C8 01", "CONNACK of 203 bytes exceeds the maximum packet size of 64 bytes")]
    [InlineData("40 C8 01", "PUBACK of 203 bytes exceeds the maximum packet size of 64 bytes")]
    [InlineData("62 C8 01", "PUBREL of 203 bytes exceeds the maximum packet size of 64 bytes")]
    [InlineData("B0 C8 01", "UNSUBACK of 203 bytes exceeds the maximum packet size of 64 bytes")]
    public void Any_other_oversized_packet_is_still_a_protocol_violation(string hex, string expected)
    {
        var buffer = new ReadOnlySequence<byte>(PacketBytes.FromHex(hex));
        var error = Assert.Throws<MqttProtocolException>(() => MqttPacketReader.TryRead(ref buffer, Limit, out _));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(3, buffer.Length);
    }

    [Fact]
    public void A_topic_longer_than_the_limit_itself_is_a_protocol_violation_from_its_length_alone()
    {
        // PUBLISH QoS 1, remaining length 300, topic length 100: header, topic and identifier take 107 bytes > 64.
        var buffer = new ReadOnlySequence<byte>(PacketBytes.FromHex("32 AC 02 00 64"));
        var error = Assert.Throws<MqttProtocolException>(() => MqttPacketReader.TryRead(ref buffer, Limit, out _));
        Assert.Contains("PUBLISH of 303 bytes exceeds the maximum packet size of 64 bytes. Its header and 100-byte topic alone exceed the limit", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("32 C8 01 00 03 61 2F 62 00 00", "PUBLISH has packet identifier 0")]
    [InlineData("30 C8 01 00 03 61 2F 23", "PUBLISH topic \"a/#\" contains a wildcard")]
    [InlineData("30 C8 01 00 03 61 FF 62", "PUBLISH topic is not valid UTF-8")]
    [InlineData("30 C8 01 00 00", "PUBLISH topic is empty")]
    [InlineData("32 C8 01 00 03 61 00 62 00 01", "contains the null character")]
    [InlineData("30 41 FF FF", "PUBLISH topic and packet identifier need 65,537 bytes but its Remaining Length is 65")]
    [InlineData("30 41 00 40", "PUBLISH topic and packet identifier need 66 bytes but its Remaining Length is 65")]
    public void A_malformed_header_of_an_oversized_PUBLISH_is_still_a_protocol_violation(string hex, string expected)
    {
        byte[] bytes = PacketBytes.FromHex(hex);
        var buffer = new ReadOnlySequence<byte>(bytes);
        var error = Assert.Throws<MqttProtocolException>(() => MqttPacketReader.TryRead(ref buffer, Limit, out _));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(bytes.Length, buffer.Length);
    }

    [Fact]
    public void A_remaining_length_too_short_for_a_topic_length_is_a_protocol_violation()
    {
        // With a limit of 2, a PUBLISH of remaining length 1 is over it, and has no room for its topic's length.
        var buffer = new ReadOnlySequence<byte>(PacketBytes.FromHex("30 01 00"));
        var error = Assert.Throws<MqttProtocolException>(() => MqttPacketReader.TryRead(ref buffer, 2, out _));
        Assert.Contains("too short for its topic's length field", error.Message, StringComparison.Ordinal);
    }
}
