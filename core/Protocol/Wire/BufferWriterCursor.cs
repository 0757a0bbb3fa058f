using System.Buffers;
using System.Buffers.Binary;

namespace StateMachineMqtt.Protocol.Wire;

/// <summary>
/// Writes big-endian MQTT fields straight into an <see cref="IBufferWriter{T}"/>'s spans, asking for a new span only when
/// the current one is full. Call <see cref="Commit"/> at the end to advance the writer past what was written.
/// </summary>
internal ref struct BufferWriterCursor
{
    private readonly IBufferWriter<byte> output;
    private Span<byte> span;
    private int written;

    /// <summary>Starts writing; <paramref name="sizeHint"/> is how many bytes to ask for up front.</summary>
    public BufferWriterCursor(IBufferWriter<byte> output, int sizeHint)
    {
        this.output = output;
        span = output.GetSpan(sizeHint);
        written = 0;
    }

    /// <summary>Writes one byte.</summary>
    public void WriteByte(byte value) => Take(1)[0] = value;

    /// <summary>Writes a two-byte big-endian integer [MQTT-1.5.2].</summary>
    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Take(2), value);

    /// <summary>Writes a four-byte big-endian integer [MQTT-1.5.3].</summary>
    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Take(4), value);

    /// <summary>Writes a Variable Byte Integer (0 to 268,435,455) [MQTT-1.5.5].</summary>
    public void WriteVariableByteInteger(int value) => RemainingLength.Write(Take(RemainingLength.GetByteCount(value)), value);

    /// <summary>Writes the fixed header: the first byte and the Remaining Length.</summary>
    public void WriteFixedHeader(byte first, int remainingLength)
    {
        Span<byte> header = Take(1 + RemainingLength.GetByteCount(remainingLength));
        header[0] = first;
        RemainingLength.Write(header[1..], remainingLength);
    }

    /// <summary>Writes a length-prefixed UTF-8 string whose byte count was measured by MqttStrings.MeasureForWriting.</summary>
    public void WriteString(string value, int byteCount)
    {
        Span<byte> field = Take(2 + byteCount);
        BinaryPrimitives.WriteUInt16BigEndian(field, (ushort)byteCount);
        MqttStrings.Encode(value, field[2..]);
    }

    /// <summary>Writes length-prefixed binary data (at most 65,535 bytes, checked by the caller).</summary>
    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteUInt16((ushort)value.Length);
        WriteBytes(value);
    }

    /// <summary>Writes raw bytes, spreading them over as many spans as the writer hands out (payloads can be large).</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        while (!value.IsEmpty)
        {
            if (written == span.Length)
            {
                Commit();
                span = output.GetSpan();
            }

            int count = Math.Min(value.Length, span.Length - written);
            value[..count].CopyTo(span[written..]);
            written += count;
            value = value[count..];
        }
    }

    /// <summary>Advances the buffer writer past the bytes written since the last commit.</summary>
    public void Commit()
    {
        if (written > 0)
        {
            output.Advance(written);
        }

        span = default;
        written = 0;
    }

    private Span<byte> Take(int count)
    {
        if (span.Length - written < count)
        {
            Commit();
            span = output.GetSpan(count);
        }

        Span<byte> taken = span.Slice(written, count);
        written += count;
        return taken;
    }
}
