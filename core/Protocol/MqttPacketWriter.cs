using System.Buffers;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.Protocol;

/// <summary>Encodes MQTT 3.1.1 packets. Pure: writes bytes into a buffer writer and knows nothing of sockets.</summary>
public static class MqttPacketWriter
{
    /// <summary>Writes one packet. Throws ArgumentException when the packet cannot be encoded (e.g. a string longer than 65,535 bytes).</summary>
    public static void Write(MqttPacket packet, IBufferWriter<byte> output) => throw new NotImplementedException();
}
