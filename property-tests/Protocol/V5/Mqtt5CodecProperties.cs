using StateMachineMqtt.Spec;
using System.Buffers;
using FsCheck.Xunit;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Protocol.V5;

/// <summary>
/// The MQTT 5 codec (#10, item 3): every valid packet of every type round-trips, a strict prefix asks for more, and hostile
/// bytes — random, or a valid packet with bytes flipped — raise MqttProtocolException and nothing else.
/// </summary>
public sealed class Mqtt5CodecProperties
{
    [Property(MaxTest = 500)]
    public void Every_valid_packet_decodes_to_what_was_encoded_and_encodes_to_the_same_bytes(int seed)
    {
        MqttPacket packet = Mqtt5Packets.Random(new Random(seed));

        byte[] bytes = Mqtt5Packets.Encode(packet);
        MqttPacket decoded = Mqtt5Packets.Decode(bytes);

        Assert.Equal(Mqtt5Packets.Describe(packet), Mqtt5Packets.Describe(decoded));
        Assert.Equal(bytes, Mqtt5Packets.Encode(decoded));
    }

    [Property(MaxTest = 200)]
    public void Every_strict_prefix_asks_for_more(int seed)
    {
        byte[] bytes = Mqtt5Packets.Encode(Mqtt5Packets.Random(new Random(seed)));
        for (int length = 0; length < bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);
            Assert.False(MqttPacketReader.TryRead(ref buffer, int.MaxValue, MqttProtocolVersion.V500, out _), $"a packet from {length} of {bytes.Length} bytes");
        }
    }

    [Property(MaxTest = 1000)]
    public void A_valid_packet_with_bytes_flipped_raises_MqttProtocolException_only(int seed)
    {
        var random = new Random(seed);
        byte[] bytes = Mqtt5Packets.Encode(Mqtt5Packets.Random(random));
        for (int flips = random.Next(1, 4); flips > 0; flips--)
        {
            // The fixed header is left alone: a changed length only asks for more bytes, which proves nothing here.
            int at = bytes.Length > 2 ? random.Next(2, bytes.Length) : 0;
            bytes[at] = (byte)random.Next(256);
        }

        var buffer = new ReadOnlySequence<byte>(bytes);
        try
        {
            MqttPacketReader.TryRead(ref buffer, int.MaxValue, MqttProtocolVersion.V500, out _);
        }
        catch (MqttProtocolException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
        }
    }

    [Property(MaxTest = 1000)]
    public void Any_bytes_give_a_packet_a_request_for_more_or_MqttProtocolException_only(byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes ?? []);
        try
        {
            MqttPacketReader.TryRead(ref buffer, 1 << 20, MqttProtocolVersion.V500, out _);
        }
        catch (MqttProtocolException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
        }
    }
}
