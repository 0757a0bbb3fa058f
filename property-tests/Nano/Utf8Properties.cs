using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StateMachineMqtt.Nano.Codec;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>The device's hand-written UTF-8 agrees with .NET's strict UTF8Encoding, plus MQTT's ban on U+0000 [MQTT-1.5.3-2].</summary>
public sealed class Utf8Properties
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [Property(MaxTest = 1000)]
    public Property Encoding_agrees_with_dotnet(string text)
    {
        text ??= "";
        byte[]? expected;
        try
        {
            expected = text.Contains('\0', StringComparison.Ordinal) ? null : Strict.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            expected = null; // an unpaired surrogate
        }

        int measured = Utf8.Measure(text);
        if (expected is null)
        {
            return (measured == -1).Label($"\"{text}\" should be refused, measured {measured}");
        }

        var buffer = new byte[measured];
        int written = Utf8.Encode(text, buffer, 0);
        return (measured == expected.Length && written == measured && buffer.AsSpan().SequenceEqual(expected))
            .Label($"\"{text}\": nano {Convert.ToHexString(buffer)}, .NET {Convert.ToHexString(expected)}");
    }

    [Property(MaxTest = 1000)]
    public Property Decoding_agrees_with_dotnet(byte[] bytes)
    {
        bytes ??= [];
        string? expected;
        try
        {
            expected = Strict.GetString(bytes);
            expected = expected.Contains('\0', StringComparison.Ordinal) ? null : expected;
        }
        catch (DecoderFallbackException)
        {
            expected = null;
        }

        string? decoded = Utf8.Decode(bytes, 0, bytes.Length);
        return (decoded == expected).Label($"{Convert.ToHexString(bytes)}: nano \"{decoded}\", .NET \"{expected}\"");
    }

    [Property(MaxTest = 500)]
    public Property Valid_text_round_trips(NonNull<string> text)
    {
        string value = text.Get.Replace("\0", "", StringComparison.Ordinal);
        int length = Utf8.Measure(value);
        if (length < 0)
        {
            return true.ToProperty().Classify(true, "unpaired surrogate");
        }

        var buffer = new byte[length];
        Utf8.Encode(value, buffer, 0);
        return (Utf8.Decode(buffer, 0, length) == value).ToProperty();
    }
}
