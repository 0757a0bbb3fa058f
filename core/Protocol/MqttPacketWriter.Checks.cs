using System.Globalization;
using StateMachineMqtt.Protocol.Wire;

namespace StateMachineMqtt.Protocol;

// The checks of what a caller can get wrong, each throwing ArgumentException on Write's "packet" argument.
internal static partial class MqttPacketWriter
{
    // The messages are built only when a check fails: these run for every packet written.
    private static void EnsurePacketId(ushort packetId, string what, MqttQualityOfService? publishedAt = null)
    {
        if (packetId == 0)
        {
            string subject = publishedAt is { } qos ? $"{what} at QoS {(int)qos}" : what;
            throw Invalid($"{subject} needs a non-zero packet identifier [MQTT-2.3.1-1]. Allocate one from 1 to 65,535.");
        }
    }

    private static void EnsureQualityOfService(MqttQualityOfService qos, string what, string? topicFilter = null)
    {
        if (!Enum.IsDefined(qos))
        {
            string subject = topicFilter is null ? what : $"{what} to \"{topicFilter}\"";
            throw Invalid($"{subject}: QoS {(int)qos} does not exist; use 0, 1 or 2 [MQTT-4.3].");
        }
    }

    private static void EnsureBinaryLength(int length, string what)
    {
        if (length > MqttStrings.MaximumByteCount)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"The {what} is {length:N0} bytes; its two-byte length prefix allows at most 65,535 [MQTT-1.5.2]. Shorten it."));
        }
    }

    /// <summary>
    /// A Response Topic, a PUBLISH's or a will's (which becomes its PUBLISH's), is where a responder publishes: a topic name,
    /// never empty nor with a wildcard [MQTT-3.3.2-13/14]. The reader refuses any other, so the writer does too.
    /// </summary>
    private static void EnsureResponseTopic(string responseTopic, string what)
    {
        try
        {
            TopicValidation.EnsureTopicName(responseTopic, null!); // no parameter: its sentence goes into this message
        }
        catch (ArgumentException e)
        {
            throw Invalid($"The {what} Response Topic is not a topic name a responder can publish to [MQTT-3.3.2-14]. {e.Message}");
        }
    }

    private static void EnsureRemainingLength(long remaining, string what)
    {
        if (remaining > RemainingLength.Maximum)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"{what} would be {remaining:N0} bytes after its fixed header; MQTT allows at most 268,435,455 [MQTT-2.2.3]. Send less data per packet."));
        }
    }

    // The helpers above blame Write's "packet" argument, which CA2208 cannot see from inside them.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly", Justification = "Blames Write's packet argument.")]
    private static ArgumentException Invalid(string message) => new(message, Parameter);
}
