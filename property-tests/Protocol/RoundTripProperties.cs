using System.Buffers;
using FsCheck.Xunit;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Protocol;

/// <summary>Whatever the writer encodes, the reader decodes to an equal packet, whole or byte by byte.</summary>
public sealed class RoundTripProperties
{
    [Property(Arbitrary = new[] { typeof(PacketArbitraries) }, MaxTest = 300)]
    public void Write_then_TryRead_gives_an_equal_packet(PacketCase packetCase)
    {
        MqttPacket packet = packetCase.Packet;
        byte[] bytes = PacketBytes.Encode(packet);

        MqttPacket decoded = PacketBytes.DecodeSingle(bytes);

        PacketEquality.AssertEqual(packet, decoded);
    }

    [Property(Arbitrary = new[] { typeof(PacketArbitraries) }, MaxTest = 200)]
    public void Every_strict_prefix_of_a_packet_asks_for_more_and_leaves_the_buffer_untouched(PacketCase packetCase)
    {
        MqttPacket packet = packetCase.Packet;
        byte[] bytes = PacketBytes.Encode(packet);
        for (int length = 0; length < bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);

            bool read = MqttPacketReader.TryRead(ref buffer, PacketBytes.NoLimit, out MqttPacket? decoded);

            Assert.False(read, $"TryRead returned a packet from {length} of {bytes.Length} bytes");
            Assert.Null(decoded);
            Assert.Equal(length, buffer.Length);
        }
    }

    [Property(Arbitrary = new[] { typeof(PacketArbitraries) }, MaxTest = 200)]
    public void Writing_into_small_spans_gives_the_same_bytes(PacketCase packetCase, byte chunk)
    {
        MqttPacket packet = packetCase.Packet;
        byte[] expected = PacketBytes.Encode(packet);
        var chunky = new ChunkyBufferWriter(chunk % 7 + 1);

        MqttPacketWriter.Write(packet, chunky);

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(chunky.WrittenBytes));
    }

    [Property(Arbitrary = new[] { typeof(PacketArbitraries) }, MaxTest = 200)]
    public void A_packet_exactly_at_the_maximum_size_is_read_and_one_byte_over_is_refused_or_read_past(PacketCase packetCase)
    {
        MqttPacket packet = packetCase.Packet;
        byte[] bytes = PacketBytes.Encode(packet);

        PacketEquality.AssertEqual(packet, PacketBytes.DecodeSingle(bytes, maximumPacketSize: bytes.Length));
        if (bytes.Length <= 2)
        {
            return;
        }

        var buffer = new ReadOnlySequence<byte>(bytes);
        if (packet is PublishPacket { Payload.Length: > 0 } publish)
        {
            // One byte over, a PUBLISH with a payload is read past: its header comes out, its payload is left to skip.
            Assert.True(MqttPacketReader.TryRead(ref buffer, bytes.Length - 1, out MqttPacket? read));
            var oversized = Assert.IsType<OversizedPublishPacket>(read);
            Assert.Equal(new OversizedPublishPacket(publish.Topic, publish.QualityOfService, publish.Retain, publish.Dup, publish.PacketId, bytes.Length, publish.Payload.Length), oversized);
            Assert.Equal(publish.Payload.Length, buffer.Length);
            return;
        }

        // Any other packet, or a PUBLISH that is all header, cannot be read past: the link must close.
        var error = Assert.Throws<MqttProtocolException>(() => MqttPacketReader.TryRead(ref buffer, bytes.Length - 1, out _));
        Assert.Contains("exceeds the maximum packet size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_payload_needing_a_four_byte_remaining_length_round_trips()
    {
        byte[] payload = new byte[2_097_152];
        new Random(1234).NextBytes(payload);
        var packet = new PublishPacket("big/one", payload, MqttQualityOfService.AtLeastOnce, Retain: false, Dup: false, PacketId: 7);

        byte[] bytes = PacketBytes.Encode(packet);

        // 0x32, then 2 + 7 + 2 + 2,097,152 = 2,097,163 as four remaining-length bytes.
        Assert.Equal("328B808001", Convert.ToHexString(bytes, 0, 5));
        PacketEquality.AssertEqual(packet, PacketBytes.DecodeSingle(bytes));
    }
}
