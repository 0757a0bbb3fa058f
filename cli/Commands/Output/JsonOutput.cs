using System.Text;
using System.Text.Json;

namespace StateMachineMqtt.Cli.Commands.Output;

/// <summary>
/// <c>--json</c>: one JSON object per line, for scripts (jq, a log shipper). A payload that is valid UTF-8 is given as
/// text with <c>"encoding":"utf8"</c>; anything else as base64 with <c>"encoding":"base64"</c>, so no byte is lost.
/// </summary>
internal static class JsonOutput
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// <c>{"topic":…,"payload":…,"encoding":"utf8"|"base64","qos":0|1|2,"retain":bool,"dup":bool}</c> plus
    /// <c>"properties":{…}</c> when the message has MQTT 5 properties.
    /// </summary>
    public static string Message(MqttMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Write(w =>
        {
            w.WriteString("topic", message.Topic);
            WriteBytes(w, "payload", "encoding", message.Payload.Span);
            w.WriteNumber("qos", (int)message.QualityOfService);
            w.WriteBoolean("retain", message.Retain);
            w.WriteBoolean("dup", message.Dup);
            if (message.Properties is { } p)
            {
                w.WriteStartObject("properties");
                if (p.PayloadFormat == MqttPayloadFormat.Utf8)
                {
                    w.WriteNumber("payload_format_indicator", 1);
                }

                if (p.MessageExpiryInterval is { } expiry)
                {
                    w.WriteNumber("message_expiry_interval", (long)expiry.TotalSeconds);
                }

                if (p.ContentType is { } contentType)
                {
                    w.WriteString("content_type", contentType);
                }

                if (p.ResponseTopic is { } responseTopic)
                {
                    w.WriteString("response_topic", responseTopic);
                }

                if (p.CorrelationData is { } data)
                {
                    WriteBytes(w, "correlation_data", "correlation_data_encoding", data.Span);
                }

                if (p.UserProperties.Count > 0)
                {
                    // An array, not an object: MQTT allows a name more than once.
                    w.WriteStartArray("user_properties");
                    foreach (var u in p.UserProperties)
                    {
                        w.WriteStartObject();
                        w.WriteString("name", u.Name);
                        w.WriteString("value", u.Value);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }

                if (p.SubscriptionIdentifiers.Count > 0)
                {
                    w.WriteStartArray("subscription_identifiers");
                    foreach (uint id in p.SubscriptionIdentifiers)
                    {
                        w.WriteNumberValue(id);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }
        });
    }

    /// <summary>pub's summary: <c>{"topic":…,"issued":N,"completed":N,"status":"ok"|"interrupted"}</c>.</summary>
    public static string PubSummary(string topic, int issued, int completed, bool interrupted) => Write(w =>
    {
        w.WriteString("topic", topic);
        w.WriteNumber("issued", issued);
        w.WriteNumber("completed", completed);
        w.WriteString("status", interrupted ? "interrupted" : "ok");
    });

    private static void WriteBytes(Utf8JsonWriter w, string name, string encodingName, ReadOnlySpan<byte> bytes)
    {
        string? text = null;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            // Not text: base64 below.
        }

        w.WriteString(name, text ?? Convert.ToBase64String(bytes));
        w.WriteString(encodingName, text is null ? "base64" : "utf8");
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
