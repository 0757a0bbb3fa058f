using System.Buffers;

namespace StateMachineMqtt.Protocol.Wire;

/// <summary>
/// The fixed header's Remaining Length: a variable byte integer, 7 bits per byte, low bits first, high bit = "more
/// bytes follow", 1 to 4 bytes long [MQTT-2.2.3].
/// </summary>
internal static class RemainingLength
{
    /// <summary>The largest value four bytes can carry (268,435,455).</summary>
    public const int Maximum = 268_435_455;

    /// <summary>The field is never longer than this.</summary>
    public const int MaximumByteCount = 4;

    /// <summary>How many bytes <paramref name="value"/> takes when encoded.</summary>
    public static int GetByteCount(int value) =>
        value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;

    /// <summary>Encodes <paramref name="value"/> (0 to <see cref="Maximum"/>) and returns the number of bytes written.</summary>
    public static int Write(Span<byte> destination, int value)
    {
        int count = 0;
        do
        {
            byte digit = (byte)(value & 0x7F);
            value >>= 7;
            if (value > 0)
            {
                digit |= 0x80;
            }

            destination[count++] = digit;
        }
        while (value > 0);

        return count;
    }

    /// <summary>
    /// Reads the field at the reader's position. Returns false when the bytes so far end inside the field; throws
    /// MqttProtocolException when a fourth byte still says "more follow".
    /// </summary>
    public static bool TryRead(ref SequenceReader<byte> reader, out int value)
    {
        value = 0;
        for (int i = 0; i < MaximumByteCount; i++)
        {
            if (!reader.TryRead(out byte digit))
            {
                return false;
            }

            value |= (digit & 0x7F) << (7 * i);
            if ((digit & 0x80) == 0)
            {
                return true;
            }
        }

        throw new MqttProtocolException(
            "The Remaining Length field is longer than 4 bytes [MQTT-2.2.3]: the stream is not MQTT or is out of step. Close the connection.");
    }
}
