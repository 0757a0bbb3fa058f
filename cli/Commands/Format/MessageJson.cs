using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace StateMachineMqtt.Cli.Commands.Format;

/// <summary>
/// mosquitto_sub's <c>%j</c> and <c>%J</c>: <c>{"tst":…,"topic":…,"qos":…,"retain":…,"payloadlen":…,"mid":…,
/// "properties":{…},"payload":…}</c>, with mosquitto_sub's names for the MQTT 5 properties and its timestamp (local time,
/// microseconds, then a literal Z and the UTC offset). "mid" is there at QoS 1 and 2 only, "properties" only when the
/// message has some. With %J the payload must be JSON and is written as it is.
/// </summary>
internal static class MessageJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSON text, or null when <paramref name="rawPayload"/> is asked and the payload is not JSON.</summary>
    public static string? Write(MqttMessage message, DateTimeOffset now, bool rawPayload)
    {
        JsonDocument? payload = null;
        if (rawPayload)
        {
            try
            {
                payload = JsonDocument.Parse(message.Payload);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        using (payload)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var w = new Utf8JsonWriter(buffer, Options))
            {
                w.WriteStartObject();
                w.WriteString("tst", now.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "Z" + TimeCodes.Offset(now));
                w.WriteString("topic", message.Topic);
                w.WriteNumber("qos", (int)message.QualityOfService);
                w.WriteNumber("retain", message.Retain ? 1 : 0);
                w.WriteNumber("payloadlen", message.Payload.Length);
                if (message.QualityOfService != StateMachineMqtt.Protocol.MqttQualityOfService.AtMostOnce)
                {
                    w.WriteNumber("mid", message.PacketIdentifier);
                }

                if (message.Properties is { } p && HasAny(p))
                {
                    WriteProperties(w, p);
                }

                if (payload is not null)
                {
                    w.WritePropertyName("payload");
                    payload.WriteTo(w);
                }
                else
                {
                    w.WriteString("payload", message.PayloadText);
                }

                w.WriteEndObject();
            }

            return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
    }

    private static bool HasAny(MqttMessageProperties p) =>
        p.SubscriptionIdentifiers.Count > 0 || p.UserProperties.Count > 0 || p.ContentType is not null || p.CorrelationData is not null
        || p.PayloadFormat == MqttPayloadFormat.Utf8 || p.ResponseTopic is not null || p.MessageExpiryInterval is not null;

    // In the order Mosquitto's broker puts them in a PUBLISH it forwards, so the text matches mosquitto_sub's there.
    private static void WriteProperties(Utf8JsonWriter w, MqttMessageProperties p)
    {
        w.WriteStartObject("properties");
        foreach (uint id in p.SubscriptionIdentifiers)
        {
            w.WriteNumber("subscription-identifier", id);
        }

        if (p.UserProperties.Count > 0)
        {
            w.WriteStartObject("user-properties");
            foreach (MqttUserProperty property in p.UserProperties)
            {
                w.WriteString(property.Name, property.Value);
            }

            w.WriteEndObject();
        }

        if (p.ContentType is { } contentType)
        {
            w.WriteString("content-type", contentType);
        }

        if (p.CorrelationData is { } data)
        {
            w.WriteString("correlation-data", System.Text.Encoding.UTF8.GetString(data.Span));
        }

        if (p.PayloadFormat == MqttPayloadFormat.Utf8)
        {
            w.WriteNumber("payload-format-indicator", 1);
        }

        if (p.ResponseTopic is { } responseTopic)
        {
            w.WriteString("response-topic", responseTopic);
        }

        if (p.MessageExpiryInterval is { } expiry)
        {
            w.WriteNumber("message-expiry-interval", (long)expiry.TotalSeconds);
        }

        w.WriteEndObject();
    }
}
