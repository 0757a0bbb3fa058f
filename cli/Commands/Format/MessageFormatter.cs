using System.Globalization;
using System.Text;

namespace StateMachineMqtt.Cli.Commands.Format;

/// <summary>
/// <c>smqtt sub -F FORMAT</c>, as mosquitto_sub spells it (mosquitto_sub(1), "OUTPUT FORMAT"): %t topic, %p payload, %x /
/// %X payload in hex, %l its length, %q QoS, %r retain (0/1), %m packet identifier, %I ISO-8601 time, %U Unix time with
/// nanoseconds, %j / %J the message as JSON (<see cref="MessageJson"/>), the MQTT 5 properties %C content type, %D
/// correlation data, %E message expiry interval, %F payload format indicator, %P user properties ("name:value",
/// space-separated), %R response topic, %S subscription identifiers, %A topic alias; %% a percent sign; flags, field
/// widths and maximum widths (<c>%-10.4t</c>); @X strftime codes (<see cref="TimeCodes"/>); and \n \t \0 \a \e \\. An
/// absent property prints nothing.
/// </summary>
internal static class MessageFormatter
{
    private static (string Format, FormatToken[] Tokens) s_last = ("", []);

    /// <summary>Checks <paramref name="format"/> at parse time, so a typo is a usage error, not a surprise per message.</summary>
    public static string Validate(string format)
    {
        _ = Compiled(format);
        return format;
    }

    /// <summary>
    /// The text for <paramref name="message"/>, received at <paramref name="now"/>, under a format <see cref="Validate"/>
    /// accepted; null when %J meets a payload that is not JSON (<paramref name="error"/> then says so, as mosquitto_sub).
    /// </summary>
    public static string? Format(string format, MqttMessage message, DateTimeOffset now, out string? error)
    {
        ArgumentNullException.ThrowIfNull(message);
        error = null;
        var output = new StringBuilder();
        foreach (FormatToken token in Compiled(format))
        {
            string? text = token.Kind switch
            {
                '"' => token.Text,
                '@' => TimeCodes.Format(token.Code, now),
                _ => Parameter(token.Code, message, now),
            };
            if (text is null && token.Code == 'J')
            {
                error = $"Error: Message payload is not valid JSON on topic {message.Topic}.";
                return null;
            }

            output.Append(Fit(text ?? "", token));
        }

        return output.ToString();
    }

    private static FormatToken[] Compiled(string format)
    {
        // sub prints every message with one format: keep the last one compiled.
        (string Format, FormatToken[] Tokens) last = s_last;
        if (ReferenceEquals(last.Format, format) || last.Format == format)
        {
            return last.Tokens;
        }

        FormatToken[] tokens = FormatParser.Parse(format);
        s_last = (format, tokens);
        return tokens;
    }

    private static string? Parameter(char code, MqttMessage message, DateTimeOffset now)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        MqttMessageProperties? p = message.Properties;
        return code switch
        {
            't' => message.Topic,
            'p' => message.PayloadText,
            'x' => Convert.ToHexStringLower(message.Payload.Span),
            'X' => Convert.ToHexString(message.Payload.Span),
            'l' => message.Payload.Length.ToString(c),
            'q' => ((int)message.QualityOfService).ToString(c),
            'r' => message.Retain ? "1" : "0",
            'm' => message.PacketIdentifier.ToString(c),
            'I' => now.ToString("yyyy-MM-dd'T'HH:mm:ss", c) + TimeCodes.Offset(now),
            'U' => string.Create(c, $"{now.ToUnixTimeSeconds()}.{TimeCodes.Nanoseconds(now):000000000}"),
            'j' => MessageJson.Write(message, now, rawPayload: false),
            'J' => MessageJson.Write(message, now, rawPayload: true),
            'C' => p?.ContentType,
            'D' => p?.CorrelationData is { } data ? Encoding.UTF8.GetString(data.Span) : null,
            'E' => p?.MessageExpiryInterval is { } e ? ((long)e.TotalSeconds).ToString(c) : null,
            'F' => p?.PayloadFormat == MqttPayloadFormat.Utf8 ? "1" : null, // an explicit 0 reads back as absent
            'P' => p is null ? null : string.Join(' ', p.UserProperties.Select(u => $"{u.Name}:{u.Value}")),
            'R' => p?.ResponseTopic,
            'S' => p is null ? null : string.Join(',', p.SubscriptionIdentifiers),
            // smqtt sets no Topic Alias Maximum, so a broker may send it no alias [MQTT-3.3.2-8]: never present.
            'A' => null,
            _ => throw new ArgumentOutOfRangeException(nameof(code), code, "not a parsed parameter"),
        };
    }

    /// <summary>Applies the token's maximum width, then pads to its width ('0' pads numbers on the left with zeros).</summary>
    private static string Fit(string text, FormatToken token)
    {
        if (token.MaxWidth >= 0 && text.Length > token.MaxWidth)
        {
            text = text[..token.MaxWidth];
        }

        if (text.Length >= token.Width || text.Length == 0 && token.Kind == '%' && token.Width == 0)
        {
            return text;
        }

        return token.LeftAlign ? text.PadRight(token.Width)
            : token.ZeroPad ? text.PadLeft(token.Width, '0')
            : text.PadLeft(token.Width);
    }
}
