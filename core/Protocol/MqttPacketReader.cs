using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.Wire;

namespace StateMachineMqtt.Protocol;

/// <summary>Decodes MQTT 3.1.1 packets incrementally from a byte sequence (e.g. a PipeReader's buffer).</summary>
internal static class MqttPacketReader
{
    /// <summary>
    /// Tries to decode one whole packet from the start of <paramref name="buffer"/>. Returns false when more bytes are needed
    /// (buffer untouched); on success, slices the packet off the buffer. Throws MqttProtocolException — and nothing else — when
    /// the bytes are malformed or the packet is larger than <paramref name="maximumPacketSize"/>; the size is checked from
    /// the fixed header, before the packet's body is waited for. Decoded packets own their data (payloads are copied),
    /// so the buffer may be released afterwards.
    /// </summary>
    /// <param name="buffer">The bytes received so far; may span several segments.</param>
    /// <param name="maximumPacketSize">The largest whole packet (fixed header included) to accept, in bytes; at least 2.</param>
    /// <param name="packet">The decoded packet when the method returns true.</param>
    /// <returns>True when a packet was decoded and sliced off; false when the buffer holds only part of one.</returns>
    /// <exception cref="MqttProtocolException">The bytes break MQTT 3.1.1 or announce a packet over the maximum size; close the link.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximumPacketSize"/> is below 2 (a caller error, not the peer's).</exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maximumPacketSize, [NotNullWhen(true)] out MqttPacket? packet)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumPacketSize, 2);
        packet = null;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryRead(out byte first))
        {
            return false;
        }

        MqttPacketType type = FixedHeaderRules.Validate(first);
        if (!RemainingLength.TryRead(ref reader, out int remainingLength))
        {
            return false;
        }

        int headerLength = (int)reader.Consumed;
        long packetLength = headerLength + (long)remainingLength;
        if (packetLength > maximumPacketSize)
        {
            throw new MqttProtocolException(
                string.Create(CultureInfo.InvariantCulture, $"{PacketNames.Of(type)} of {packetLength:N0} bytes exceeds the maximum packet size of {maximumPacketSize:N0} bytes. Raise the limit or have the peer send smaller packets."));
        }

        if (buffer.Length < packetLength)
        {
            return false;
        }

        packet = PacketDecoder.Decode(first, buffer.Slice(headerLength, remainingLength));
        buffer = buffer.Slice(packetLength);
        return true;
    }
}
