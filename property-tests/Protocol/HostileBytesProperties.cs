using System.Buffers;
using FsCheck.Xunit;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Protocol;

/// <summary>
/// Whatever the bytes, the reader returns packets, asks for more, or throws MqttProtocolException — never another
/// exception, never a loop, never bytes consumed without a packet.
/// </summary>
public sealed class HostileBytesProperties
{
    [Property(Arbitrary = new[] { typeof(HostileInputArbitraries) }, MaxTest = 1000)]
    public void Any_bytes_give_packets_a_request_for_more_or_MqttProtocolException_only(HostileInput input)
    {
        ReadOnlySequence<byte> buffer = SegmentedSequence.Create(SegmentedSequence.Cut(input.Bytes, input.ChunkSizes));

        // Each packet is at least 2 bytes, so more rounds than this means the reader returned packets without consuming.
        for (int round = 0; round <= input.Bytes.Length / 2; round++)
        {
            ReadOnlySequence<byte> before = buffer;
            bool read;
            MqttPacket? packet;
            try
            {
                read = MqttPacketReader.TryRead(ref buffer, input.MaximumPacketSize, out packet);
            }
            catch (MqttProtocolException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                Assert.Equal(before.Length, buffer.Length);
                return;
            }

            if (!read)
            {
                Assert.Null(packet);
                Assert.Equal(before.Start, buffer.Start);
                Assert.Equal(before.Length, buffer.Length);
                return;
            }

            Assert.NotNull(packet);
            Assert.True(buffer.Length <= before.Length - 2, "a packet was returned but fewer than 2 bytes were consumed");
            Assert.True(before.Length - buffer.Length <= input.MaximumPacketSize, "more than the maximum packet size was consumed for one packet");
            if (packet is OversizedPublishPacket oversized)
            {
                // Only its header was consumed; the rest of it is discarded before the next packet, as PacketLink does.
                Assert.Equal(oversized.PacketSize, before.Length - buffer.Length + oversized.BodyToSkip);
                Assert.True(oversized.PacketSize > input.MaximumPacketSize, "a packet within the limit was read past");
                int skip = oversized.BodyToSkip;
                MqttPacketReader.Skip(ref buffer, ref skip);
                if (skip > 0)
                {
                    return; // the input ends inside its body
                }

                continue;
            }

            AssertReencodesToTheSameBody(before.Slice(0, before.Length - buffer.Length).ToArray(), packet);
        }

        Assert.Fail("TryRead kept returning packets without consuming the buffer");
    }

    // The decoder accepts only what the spec allows and ignores no bits, so every packet it accepts re-encodes to the
    // same first byte and body (the remaining length may differ: a peer may encode it with more bytes than needed).
    private static void AssertReencodesToTheSameBody(byte[] original, MqttPacket packet)
    {
        if (packet is ConnectPacket { ClientId: "", CleanSession: false })
        {
            return; // Legal on the wire (the broker answers CONNACK 0x02) but refused by the writer [MQTT-3.1.3-7].
        }

        byte[] reencoded = PacketBytes.Encode(packet);
        Assert.Equal(original[0], reencoded[0]);
        Assert.Equal(Convert.ToHexString(Body(original)), Convert.ToHexString(Body(reencoded)));
    }

    private static ReadOnlySpan<byte> Body(byte[] packet)
    {
        int header = 1;
        while ((packet[header] & 0x80) != 0)
        {
            header++;
        }

        return packet.AsSpan(header + 1);
    }
}
