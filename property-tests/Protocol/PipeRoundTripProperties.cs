using System.Buffers;
using System.IO.Pipelines;
using FsCheck.Xunit;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Protocol;

/// <summary>
/// The codec as the connection loop uses it: the writer writes into a PipeWriter with small segments, the reader parses
/// the PipeReader's buffer and advances past what it consumed (and marks the rest examined) until all packets are back.
/// </summary>
public sealed class PipeRoundTripProperties
{
    [Property(Arbitrary = new[] { typeof(PacketArbitraries) }, MaxTest = 100)]
    public void Packets_written_to_a_pipe_are_read_back_from_it(PacketStream stream)
    {
        var pipe = new Pipe(new PipeOptions(minimumSegmentSize: 16, pauseWriterThreshold: 0, useSynchronizationContext: false));
        foreach (MqttPacket packet in stream.Packets)
        {
            MqttPacketWriter.Write(packet, pipe.Writer);
        }

        pipe.Writer.Complete(); // commits what was written; with no reader waiting, nothing blocks

        var decoded = new List<MqttPacket>();
        while (true)
        {
            Assert.True(pipe.Reader.TryRead(out ReadResult result), "everything was committed, so a read must succeed at once");
            ReadOnlySequence<byte> buffer = result.Buffer;
            while (MqttPacketReader.TryRead(ref buffer, PacketBytes.NoLimit, out MqttPacket? packet))
            {
                decoded.Add(packet);
            }

            pipe.Reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                Assert.Equal(0, buffer.Length);
                break;
            }
        }

        pipe.Reader.Complete();
        Assert.Equal(stream.Packets.Length, decoded.Count);
        for (int i = 0; i < decoded.Count; i++)
        {
            PacketEquality.AssertEqual(stream.Packets[i], decoded[i]);
        }
    }
}
