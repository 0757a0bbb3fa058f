using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace StateMachineMqtt.Protocol.Wire;

/// <summary>
/// The rules for MQTT UTF-8 encoded strings [MQTT-1.5.3]: at most 65,535 bytes, well-formed UTF-8, no U+0000.
/// Encoding checks throw ArgumentException (the caller's mistake); decoding checks throw MqttProtocolException (the peer's).
/// </summary>
internal static class MqttStrings
{
    /// <summary>The longest string or binary field a two-byte length prefix allows.</summary>
    public const int MaximumByteCount = ushort.MaxValue;

    // Throws on unpaired surrogates instead of silently writing U+FFFD, so what is written is what the caller gave.
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Checks <paramref name="value"/> can be sent as an MQTT string and returns its UTF-8 byte count.</summary>
    /// <param name="value">The string to send.</param>
    /// <param name="what">What the string is, for the message, e.g. "CONNECT client identifier".</param>
    /// <param name="parameterName">The parameter to blame.</param>
    public static int MeasureForWriting(string value, string what, string parameterName)
    {
        if (value is null)
        {
            throw new ArgumentException($"The {what} is null; give a string (it may be empty).", parameterName);
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The {what} contains the null character U+0000, which MQTT strings must not [MQTT-1.5.3-2]. Remove it.", parameterName);
        }

        int byteCount;
        try
        {
            byteCount = Strict.GetByteCount(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"The {what} contains an unpaired UTF-16 surrogate, which has no UTF-8 encoding [MQTT-1.5.3-1]. Fix the string.", parameterName, e);
        }

        if (byteCount > MaximumByteCount)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The {what} is {byteCount:N0} UTF-8 bytes; MQTT strings hold at most 65,535 [MQTT-1.5.3]. Shorten it."), parameterName);
        }

        return byteCount;
    }

    /// <summary>Encodes a string already checked by <see cref="MeasureForWriting"/>.</summary>
    public static void Encode(string value, Span<byte> destination) => Strict.GetBytes(value, destination);

    /// <summary>Decodes the bytes of an MQTT string, throwing MqttProtocolException when they break [MQTT-1.5.3-1/2].</summary>
    /// <param name="bytes">The string's bytes, without the length prefix.</param>
    /// <param name="what">What the string is, for the message, e.g. "PUBLISH topic".</param>
    public static string Decode(ReadOnlySpan<byte> bytes, string what)
    {
        if (!Utf8.IsValid(bytes))
        {
            throw new MqttProtocolException($"The {what} is not valid UTF-8 [MQTT-1.5.3-1]. Close the connection.");
        }

        if (bytes.Contains((byte)0))
        {
            throw new MqttProtocolException($"The {what} contains the null character U+0000 [MQTT-1.5.3-2]. Close the connection.");
        }

        // Encoding.GetString keeps a leading U+FEFF, as [MQTT-1.5.3-3] requires.
        return Encoding.UTF8.GetString(bytes);
    }
}
