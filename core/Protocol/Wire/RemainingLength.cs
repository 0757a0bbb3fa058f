using System.Buffers;
using StateMachineMqtt.Spec;

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
    /// Reads the field at the reader's position, as MQTT 3.1.1 does. Returns false when the bytes so far end inside the
    /// field; throws MqttProtocolException when a fourth byte still says "more follow".
    /// </summary>
    public static bool TryRead(ref SequenceReader<byte> reader, out int value) => TryRead(ref reader, MqttProtocolVersion.V311, out value);

    /// <summary>
    /// As the 3.1.1 overload, under <paramref name="version"/>: MQTT 5 also refuses an encoding longer than its value needs.
    /// </summary>
    public static bool TryRead(ref SequenceReader<byte> reader, MqttProtocolVersion version, out int value)
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
                // A last byte of 0 after others means a shorter form existed (0x80 0x00 for 0). MQTT 5: "The encoded value MUST
                // use the minimum number of bytes necessary to represent the value" [MQTT-1.5.5-1]. MQTT 3.1.1 (2.2.3) gives
                // the algorithm and a table of each length's range but no such rule, so under 3.1.1 a longer form is read.
                if (digit == 0 && i > 0 && version == MqttProtocolVersion.V500)
                {
                    throw NotMinimal("The Remaining Length", value, i + 1);
                }

                return true;
            }
        }

        throw new MqttProtocolException(
            "The Remaining Length field is longer than 4 bytes [MQTT-2.2.3]: the stream is not MQTT or is out of step. Close the connection.");
    }

    /// <summary>The refusal of a Variable Byte Integer (<paramref name="what"/>) encoding <paramref name="value"/> in <paramref name="byteCount"/> bytes, more than it needs.</summary>
    public static MqttProtocolException NotMinimal(string what, int value, int byteCount) =>
        new(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{what} takes {byteCount} bytes for {value}, which needs {GetByteCount(value)}; MQTT 5 requires the minimum number of bytes [MQTT-1.5.5-1]: the packet is malformed."));
}
