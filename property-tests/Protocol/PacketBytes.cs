using System.Buffers;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Protocol;

/// <summary>Encoding and decoding shortcuts for tests.</summary>
internal static class PacketBytes
{
    /// <summary>A limit no generated packet reaches.</summary>
    public const int NoLimit = int.MaxValue;

    /// <summary>The bytes MqttPacketWriter writes for <paramref name="packet"/>.</summary>
    public static byte[] Encode(MqttPacket packet)
    {
        var output = new ArrayBufferWriter<byte>();
        MqttPacketWriter.Write(packet, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Parses hex such as "10 0D 00 04" (spaces ignored).</summary>
    public static byte[] FromHex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    /// <summary>Decodes exactly one packet that fills <paramref name="bytes"/>, asserting nothing is left over.</summary>
    public static MqttPacket DecodeSingle(byte[] bytes, int maximumPacketSize = NoLimit)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.True(MqttPacketReader.TryRead(ref buffer, maximumPacketSize, out MqttPacket? packet), "TryRead wanted more bytes than one whole packet");
        Assert.Equal(0, buffer.Length);
        return packet;
    }
}
