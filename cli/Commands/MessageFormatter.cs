using System.Globalization;
using System.Text;

namespace StateMachineMqtt.Cli.Commands;

/// <summary>
/// <c>smqtt sub -F FORMAT</c>, spelled as mosquitto_sub spells it: %t topic, %p payload, %x / %X payload in hex, %l its
/// length, %q QoS, %r retain (0/1), and the MQTT 5 properties %C content type, %D correlation data, %E message expiry
/// interval, %F payload format indicator, %P user properties ("name:value", space-separated), %R response topic, %S
/// subscription identifiers; %% is a percent sign, and \n, \t and \\ are escapes. An absent property prints nothing.
/// </summary>
internal static class MessageFormatter
{
    /// <summary>Checks <paramref name="format"/> at parse time, so a typo is a usage error, not a surprise per message.</summary>
    public static string Validate(string format)
    {
        for (int i = 0; i < format.Length; i++)
        {
            if (format[i] is '%' or '\\')
            {
                char escape = format[i];
                char next = i + 1 < format.Length ? format[++i] : '\0';
                bool known = escape == '%' ? "tpxXlqrCDEFPRS%".Contains(next, StringComparison.Ordinal) : "nt\\".Contains(next, StringComparison.Ordinal);
                if (!known || next == '\0')
                {
                    throw new UsageException(next == '\0'
                        ? $"-F ends with a lone '{escape}'."
                        : $"-F: '{escape}{next}' is not a format code; use %t %p %x %X %l %q %r %C %D %E %F %P %R %S %%, or \\n \\t \\\\.");
                }
            }
        }

        return format;
    }

    /// <summary>The text for <paramref name="message"/> under a format that <see cref="Validate"/> accepted.</summary>
    public static string Format(string format, MqttMessage message)
    {
        var output = new StringBuilder();
        MqttMessageProperties? p = message.Properties;
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c == '\\')
            {
                output.Append(format[++i] switch { 'n' => '\n', 't' => '\t', _ => '\\' });
                continue;
            }

            if (c != '%')
            {
                output.Append(c);
                continue;
            }

            switch (format[++i])
            {
                case 't': output.Append(message.Topic); break;
                case 'p': output.Append(message.PayloadText); break;
                case 'x': output.Append(Convert.ToHexStringLower(message.Payload.Span)); break;
                case 'X': output.Append(Convert.ToHexString(message.Payload.Span)); break;
                case 'l': output.Append(message.Payload.Length.ToString(CultureInfo.InvariantCulture)); break;
                case 'q': output.Append(((int)message.QualityOfService).ToString(CultureInfo.InvariantCulture)); break;
                case 'r': output.Append(message.Retain ? '1' : '0'); break;
                case 'C': output.Append(p?.ContentType); break;
                case 'D': output.Append(p?.CorrelationData is { } data ? Encoding.UTF8.GetString(data.Span) : null); break;
                case 'E': output.Append(p?.MessageExpiryInterval is { } e ? ((long)e.TotalSeconds).ToString(CultureInfo.InvariantCulture) : null); break;
                case 'F': output.Append(p?.PayloadFormat == MqttPayloadFormat.Utf8 ? "1" : null); break; // an explicit 0 reads back as absent
                case 'P': output.AppendJoin(' ', p?.UserProperties.Select(u => $"{u.Name}:{u.Value}") ?? []); break;
                case 'R': output.Append(p?.ResponseTopic); break;
                case 'S': output.AppendJoin(',', p?.SubscriptionIdentifiers ?? []); break;
                default: output.Append('%'); break;
            }
        }

        return output.ToString();
    }
}
