using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.Wire;
using StateMachineMqtt.Spec;

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
    /// <para>
    /// One exception to the size check: a PUBLISH over the maximum whose fixed header, topic and packet identifier fit it
    /// (spec/'s PacketSizeRules.MayReadPast) is an <see cref="OversizedPublishPacket"/>, returned once those are in and sliced
    /// off; its payload is not waited for. The caller must then discard <see cref="OversizedPublishPacket.BodyToSkip"/> bytes
    /// with <see cref="Skip"/> before reading on, so a message too large to take is acknowledged rather than re-delivered.
    /// </para>
    /// </summary>
    /// <param name="buffer">The bytes received so far; may span several segments.</param>
    /// <param name="maximumPacketSize">The largest whole packet (fixed header included) to accept, in bytes; at least 2.</param>
    /// <param name="packet">The decoded packet when the method returns true.</param>
    /// <returns>True when a packet was decoded and sliced off; false when the buffer holds only part of one.</returns>
    /// <exception cref="MqttProtocolException">The bytes break MQTT 3.1.1 or announce a packet over the maximum size; close the link.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximumPacketSize"/> is below 2 (a caller error, not the peer's).</exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maximumPacketSize, [NotNullWhen(true)] out MqttPacket? packet) =>
        TryRead(ref buffer, maximumPacketSize, MqttProtocolVersion.V311, out packet);

    /// <summary>
    /// As the 3.1.1 overload, for <paramref name="version"/>. Under MQTT 5 an oversized PUBLISH is a protocol error like
    /// any oversized packet: the client announced its Maximum Packet Size in CONNECT, which the server must honour [MQTT-3.1.2-25].
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maximumPacketSize, MqttProtocolVersion version, [NotNullWhen(true)] out MqttPacket? packet)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumPacketSize, 2);
        packet = null;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryRead(out byte first))
        {
            return false;
        }

        MqttPacketType type = FixedHeaderRules.Validate(first, version);
        if (!RemainingLength.TryRead(ref reader, version, out int remainingLength))
        {
            return false;
        }

        int headerLength = (int)reader.Consumed;
        long packetLength = headerLength + (long)remainingLength;
        if (packetLength > maximumPacketSize)
        {
            if (type == MqttPacketType.Publish && version == MqttProtocolVersion.V311)
            {
                return TryReadOversizedPublish(ref buffer, first, headerLength, remainingLength, maximumPacketSize, out packet);
            }

            throw TooLarge(type, packetLength, maximumPacketSize, "");
        }

        if (buffer.Length < packetLength)
        {
            return false;
        }

        packet = PacketDecoder.Decode(first, buffer.Slice(headerLength, remainingLength), version);
        buffer = buffer.Slice(packetLength);
        return true;
    }

    /// <summary>
    /// Discards up to <paramref name="remaining"/> bytes from the start of <paramref name="buffer"/> — the rest of an
    /// <see cref="OversizedPublishPacket"/>'s body — and lowers <paramref name="remaining"/> by what it discarded. Called
    /// again with each read until <paramref name="remaining"/> is 0, so the body is never held whole.
    /// </summary>
    public static void Skip(ref ReadOnlySequence<byte> buffer, ref int remaining)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(remaining);
        int skipped = (int)Math.Min(buffer.Length, remaining);
        buffer = buffer.Slice(skipped);
        remaining -= skipped;
    }

    private static bool TryReadOversizedPublish(ref ReadOnlySequence<byte> buffer, byte first, int headerLength, int remainingLength, int maximumPacketSize, [NotNullWhen(true)] out MqttPacket? packet)
    {
        packet = null;
        int packetLength = headerLength + remainingLength;
        if (remainingLength < 2)
        {
            throw new MqttProtocolException(
                string.Create(CultureInfo.InvariantCulture, $"PUBLISH of {packetLength:N0} bytes has a Remaining Length of {remainingLength}, too short for its topic's length field: the packet is malformed."));
        }

        if (buffer.Length < headerLength + 2)
        {
            return false;
        }

        Span<byte> lengthBytes = stackalloc byte[2];
        buffer.Slice(headerLength, 2).CopyTo(lengthBytes);
        int topicLength = (lengthBytes[0] << 8) | lengthBytes[1];
        int variableHeaderLength = 2 + topicLength + (((first >> 1) & 0x03) == 0 ? 0 : 2);
        if (variableHeaderLength > remainingLength)
        {
            throw new MqttProtocolException(
                string.Create(CultureInfo.InvariantCulture, $"PUBLISH topic and packet identifier need {variableHeaderLength:N0} bytes but its Remaining Length is {remainingLength:N0}: a length overruns the packet."));
        }

        int prefixLength = headerLength + variableHeaderLength;
        if (!PacketSizeRules.MayReadPast(PacketKind.Publish, prefixLength, maximumPacketSize))
        {
            throw TooLarge(MqttPacketType.Publish, packetLength, maximumPacketSize,
                string.Create(CultureInfo.InvariantCulture, $" Its header and {topicLength:N0}-byte topic alone exceed the limit, so it cannot even be read past."));
        }

        if (buffer.Length < prefixLength)
        {
            return false;
        }

        packet = PacketDecoder.DecodeOversizedPublish(first, buffer.Slice(headerLength, variableHeaderLength), packetLength, remainingLength - variableHeaderLength);
        buffer = buffer.Slice(prefixLength);
        return true;
    }

    private static MqttProtocolException TooLarge(MqttPacketType type, long packetLength, int maximumPacketSize, string detail) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{PacketNames.Of(type)} of {packetLength:N0} bytes exceeds the maximum packet size of {maximumPacketSize:N0} bytes.{detail} Raise the limit or have the peer send smaller packets."));
}
