using System.Buffers;
using FsCheck.Xunit;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Protocol;

/// <summary>
/// Packets sent back to back and cut into arbitrary segments — as TCP and a PipeReader deliver them — decode to the
/// same packets, each as soon as its last byte has arrived.
/// </summary>
public sealed class SplitSegmentsProperties
{
    [Property(Arbitrary = new[] { typeof(PacketArbitraries) }, MaxTest = 200)]
    public void Packets_cut_into_arbitrary_segments_decode_the_same_as_soon_as_complete(PacketStream stream)
    {
        byte[][] encoded = stream.Packets.Select(PacketBytes.Encode).ToArray();
        byte[] all = encoded.SelectMany(b => b).ToArray();
        long[] packetEnds = new long[encoded.Length];
        for (int i = 0, end = 0; i < encoded.Length; i++)
        {
            end += encoded[i].Length;
            packetEnds[i] = end;
        }

        List<byte[]> chunks = SegmentedSequence.Cut(all, stream.ChunkSizes);
        ReadOnlySequence<byte> everything = SegmentedSequence.Create(chunks);
        var decoded = new List<MqttPacket>();
        long consumed = 0;
        long received = 0;
        foreach (byte[] chunk in chunks)
        {
            received += chunk.Length;
            while (true)
            {
                ReadOnlySequence<byte> buffer = everything.Slice(consumed, received - consumed);
                ReadOnlySequence<byte> before = buffer;
                if (!MqttPacketReader.TryRead(ref buffer, PacketBytes.NoLimit, out MqttPacket? packet))
                {
                    Assert.Equal(before.Start, buffer.Start);
                    Assert.Equal(before.Length, buffer.Length);
                    break;
                }

                consumed += before.Length - buffer.Length;
                decoded.Add(packet);
            }

            Assert.Equal(packetEnds.Count(end => end <= received), decoded.Count);
        }

        Assert.Equal(all.Length, consumed);
        Assert.Equal(stream.Packets.Length, decoded.Count);
        for (int i = 0; i < decoded.Count; i++)
        {
            PacketEquality.AssertEqual(stream.Packets[i], decoded[i]);
        }
    }

    [Fact]
    public void A_packet_split_inside_its_remaining_length_and_strings_decodes()
    {
        var packet = new PublishPacket("a/b", new byte[200], MqttQualityOfService.ExactlyOnce, Retain: true, Dup: true, PacketId: 513);
        byte[] bytes = PacketBytes.Encode(packet);
        // Cut between the two remaining-length bytes, inside the topic, inside the packet id and inside the payload.
        ReadOnlySequence<byte> buffer = SegmentedSequence.Create(SegmentedSequence.Cut(bytes, [2, 3, 4, 1, 50]));
        Assert.True(buffer.Start.GetObject() != buffer.End.GetObject(), "the test needs a multi-segment sequence");

        Assert.True(MqttPacketReader.TryRead(ref buffer, PacketBytes.NoLimit, out MqttPacket? decoded));

        PacketEquality.AssertEqual(packet, decoded);
        Assert.Equal(0, buffer.Length);
    }
}
