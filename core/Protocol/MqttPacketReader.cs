using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.Protocol;

/// <summary>Decodes MQTT 3.1.1 packets incrementally from a byte sequence.</summary>
public static class MqttPacketReader
{
    /// <summary>
    /// Tries to decode one whole packet from the start of <paramref name="buffer"/>. Returns false when more bytes are needed
    /// (buffer untouched); on success, slices the packet off the buffer. Throws MqttProtocolException — and nothing else — when
    /// the bytes are malformed or the packet is larger than <paramref name="maximumPacketSize"/>.
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maximumPacketSize, [NotNullWhen(true)] out MqttPacket? packet) => throw new NotImplementedException();
}
