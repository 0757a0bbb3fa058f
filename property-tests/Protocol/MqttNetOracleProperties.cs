using FsCheck.Xunit;
using MQTTnet.Adapter;
using MQTTnet.Formatter;
using MQTTnet.Formatter.V3;
using Xunit;
using Ours = StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Protocol;

/// <summary>
/// MQTTnet's MQTT 3.1.1 formatter, written independently of this codec, agrees with it byte for byte: it encodes every
/// generated packet to the same bytes, and decodes our bytes to the same fields. Round trips alone cannot catch a
/// misreading of the spec that writer and reader share; this can.
/// </summary>
public sealed class MqttNetOracleProperties
{
    [Property(Arbitrary = new[] { typeof(PacketArbitraries) }, MaxTest = 200)]
    public void MqttNet_encodes_every_packet_to_the_same_bytes(PacketCase packetCase)
    {
        Ours.MqttPacket packet = packetCase.Packet;
        byte[] ours = PacketBytes.Encode(packet);

        byte[] theirs = NewFormatter().Encode(MqttNetTranslation.ToMqttNet(packet)).ToArray();

        Assert.Equal(Convert.ToHexString(theirs), Convert.ToHexString(ours));
    }

    [Property(Arbitrary = new[] { typeof(PacketArbitraries) }, MaxTest = 200)]
    public void MqttNet_decodes_our_bytes_to_the_same_fields(PacketCase packetCase)
    {
        Ours.MqttPacket packet = packetCase.Packet;
        byte[] ours = PacketBytes.Encode(packet);
        int header = 2;
        while ((ours[header - 1] & 0x80) != 0)
        {
            header++;
        }

        var received = new ReceivedMqttPacket(ours[0], new ArraySegment<byte>(ours, header, ours.Length - header), ours.Length);

        PacketEquality.AssertEqual(packet, MqttNetTranslation.FromMqttNet(NewFormatter().Decode(received)));
    }

    private static MqttV3PacketFormatter NewFormatter() => new(new MqttBufferWriter(4096, 65536), MqttProtocolVersion.V311);
}
