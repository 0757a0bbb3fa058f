using System.Buffers;
using FsCheck.Xunit;
using MQTTnet.Adapter;
using MQTTnet.Formatter;
using MQTTnet.Formatter.V5;
using StateMachineMqtt.Protocol;
using Xunit;
using Ours = StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Protocol.V5;

/// <summary>
/// MQTTnet's MQTT 5 formatter, written independently of this codec, reads our bytes to the same fields, and its bytes read
/// with our decoder to the same fields, for the packets it models property by property; and it writes the same bytes, once
/// <see cref="PropertyOrder"/> has set aside what MQTT 5 leaves free (property order, an empty trailing section).
/// </summary>
public sealed class MqttNet5OracleProperties
{
    [Property(MaxTest = 400)]
    public void MqttNet_reads_our_bytes_to_the_same_fields(int seed)
    {
        Ours.MqttPacket packet = Translatable(seed);
        byte[] ours = Mqtt5Packets.Encode(packet);
        int header = 2;
        while ((ours[header - 1] & 0x80) != 0)
        {
            header++;
        }

        var received = new ReceivedMqttPacket(ours[0], new ArraySegment<byte>(ours, header, ours.Length - header), ours.Length);

        Assert.Equal(Mqtt5Packets.Describe(packet), Mqtt5Packets.Describe(MqttNet5Translation.FromMqttNet(NewFormatter().Decode(received))));
    }

    [Property(MaxTest = 400)]
    public void We_read_MqttNet_s_bytes_to_the_same_fields(int seed)
    {
        Ours.MqttPacket packet = Translatable(seed);
        byte[] theirs = NewFormatter().Encode(MqttNet5Translation.ToMqttNet(packet)).ToArray();

        Assert.Equal(Mqtt5Packets.Describe(packet), Mqtt5Packets.Describe(Mqtt5Packets.Decode(theirs)));
    }

    [Property(MaxTest = 400)]
    public void MqttNet_writes_the_same_bytes_up_to_property_order(int seed)
    {
        // Byte for byte: fixed header, lengths, codes, values, payload; only the order of different properties may differ.
        Ours.MqttPacket packet = Translatable(seed);
        byte[] ours = Mqtt5Packets.Encode(packet);
        byte[] theirs = NewFormatter().Encode(MqttNet5Translation.ToMqttNet(packet)).ToArray();

        Assert.Equal(PropertyOrder.Canonical(packet, theirs), PropertyOrder.Canonical(packet, ours));
    }

    private static Ours.MqttPacket Translatable(int seed)
    {
        var random = new Random(seed);
        Ours.MqttPacket packet;
        do
        {
            packet = Mqtt5Packets.Random(random);
        }
        while (!MqttNet5Translation.Translatable(packet));

        return packet;
    }

    private static MqttV5PacketFormatter NewFormatter() => new(new MqttBufferWriter(4096, 65536));
}
