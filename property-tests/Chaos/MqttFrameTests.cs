using System.Buffers;
using StateMachineMqtt.TestKit.Proxy;
using StateMachineMqtt.Protocol;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Chaos;

public sealed class MqttFrameTests
{
    private static MqttFrame.ReadStatus Read(byte[] bytes, out MqttFrame? frame, out long left)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        var status = MqttFrame.TryRead(ref buffer, 1 << 20, out frame);
        left = buffer.Length;
        return status;
    }

    [Fact]
    public void Reads_type_qos_dup_and_packet_identifier()
    {
        byte[] publish = Packets.Publish(1, 0x1234, [1, 2, 3]);
        publish[0] |= 0x08; // DUP
        Assert.Equal(MqttFrame.ReadStatus.Complete, Read([.. publish, .. Packets.PingReq], out var frame, out long left));
        Assert.Equal(MqttPacketType.Publish, frame!.Type);
        Assert.Equal(1, frame.PublishQos);
        Assert.True(frame.Dup);
        Assert.Equal((ushort)0x1234, frame.PacketIdentifier);
        Assert.Equal(publish, frame.Bytes);
        Assert.Equal(2, left); // the PINGREQ stays in the buffer

        Read(Packets.PubAck(77), out var ack, out _);
        Assert.Equal((ushort)77, ack!.PacketIdentifier);
        Read(Packets.Publish(0, 0, [9]), out var qos0, out _);
        Assert.Null(qos0!.PacketIdentifier);
        Read(Packets.PingReq, out var ping, out _);
        Assert.Null(ping!.PacketIdentifier);
    }

    [Fact]
    public void Multi_byte_remaining_length()
    {
        byte[] big = Packets.Publish(1, 5, new byte[20_000]);
        Assert.Equal(MqttFrame.ReadStatus.Complete, Read(big, out var frame, out _));
        Assert.Equal(4, frame!.HeaderLength); // 1 type byte + 3 length bytes for 20,006
        Assert.Equal((ushort)5, frame.PacketIdentifier);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x00 })] // reserved type 0
    [InlineData(new byte[] { 0xF0, 0x00 })] // reserved type 15
    [InlineData(new byte[] { 0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })] // five length bytes
    public void Rejects_what_is_not_MQTT(byte[] bytes) => Assert.Equal(MqttFrame.ReadStatus.Malformed, Read(bytes, out _, out _));

    [Fact]
    public void Rejects_packets_over_the_limit()
    {
        var buffer = new ReadOnlySequence<byte>(Packets.Publish(0, 0, new byte[100]));
        Assert.Equal(MqttFrame.ReadStatus.Malformed, MqttFrame.TryRead(ref buffer, 50, out _));
    }

    [Fact]
    public void Any_split_of_a_packet_stream_yields_the_same_packets()
    {
        // Property: cutting a stream of packets into random chunks and feeding it chunk by chunk frames the same packets.
        byte[][] packets = [Packets.Connect, Packets.Publish(1, 1, new byte[300]), Packets.PingReq, Packets.PubAck(9), Packets.Publish(0, 0, [])];
        byte[] stream = [.. packets.SelectMany(p => p)];
        for (int seed = 0; seed < 300; seed++)
        {
            var random = new Random(seed);
            var framed = new List<byte[]>();
            var pending = new List<byte>();
            int offset = 0;
            while (offset < stream.Length)
            {
                int size = Math.Min(random.Next(1, 64), stream.Length - offset);
                pending.AddRange(stream.AsSpan(offset, size));
                offset += size;
                var buffer = new ReadOnlySequence<byte>([.. pending]);
                while (MqttFrame.TryRead(ref buffer, 1 << 20, out var frame) == MqttFrame.ReadStatus.Complete)
                {
                    framed.Add(frame!.Bytes);
                }

                pending = [.. buffer.ToArray()];
            }

            bool same = framed.Count == packets.Length && framed.Zip(packets).All(p => p.First.SequenceEqual(p.Second)) && pending.Count == 0;
            Assert.True(same, $"chunking with seed {seed} framed {framed.Count} packets, expected {packets.Length}");
        }
    }
}
