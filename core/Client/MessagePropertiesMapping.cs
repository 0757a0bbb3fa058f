using System.Globalization;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt;

/// <summary>Between the public <see cref="MqttMessageProperties"/> and the codec's property set of a PUBLISH.</summary>
internal static class MessagePropertiesMapping
{
    private static readonly string Blamed = "properties";

    /// <summary>
    /// The wire set for a PUBLISH of <paramref name="version"/>, checked as the caller's mistake (ArgumentException): MQTT
    /// 3.1.1 carries none, a client sends no Subscription Identifier, and every value must fit its field.
    /// </summary>
    public static MqttProperties? ToWire(MqttMessageProperties? properties, MqttProtocolVersion version)
    {
        if (properties is null)
        {
            return null;
        }

        if (version != MqttProtocolVersion.V500)
        {
            throw new ArgumentException(
                "Message properties need MQTT 5, and this client speaks MQTT 3.1.1. Set MqttClientOptions.ProtocolVersion = MqttProtocolVersion.V500, or publish without properties.", Blamed);
        }

        if (properties.SubscriptionIdentifiers.Count > 0)
        {
            throw new ArgumentException(
                "The properties carry Subscription Identifiers, which only a broker sends [MQTT-3.3.4-6]. Leave SubscriptionIdentifiers empty when publishing.", Blamed);
        }

        var wire = new MqttProperties();
        if (properties.PayloadFormat is not (MqttPayloadFormat.Unspecified or MqttPayloadFormat.Utf8))
        {
            throw new ArgumentOutOfRangeException(Blamed, properties.PayloadFormat, "PayloadFormat is Unspecified or Utf8.");
        }

        if (properties.PayloadFormat == MqttPayloadFormat.Utf8)
        {
            wire.PayloadFormatIndicator = 1;
        }

        if (properties.MessageExpiryInterval is { } expiry)
        {
            wire.MessageExpiryInterval = ExpirySeconds(expiry);
        }

        wire.ContentType = properties.ContentType;
        if (properties.ResponseTopic is { } responseTopic)
        {
            try
            {
                TopicValidation.EnsureTopicName(responseTopic, null!);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException("ResponseTopic is not a topic name a responder can publish to. " + e.Message, Blamed, e);
            }

            wire.ResponseTopic = responseTopic;
        }

        wire.CorrelationData = properties.CorrelationData;
        foreach (MqttUserProperty pair in properties.UserProperties)
        {
            wire.UserProperties.Add(pair);
        }

        return wire;
    }

    /// <summary>The public view of a received PUBLISH's properties; null when it had none.</summary>
    public static MqttMessageProperties? FromWire(MqttProperties? wire)
    {
        if (wire is null)
        {
            return null;
        }

        return new MqttMessageProperties
        {
            PayloadFormat = wire.PayloadFormatIndicator == 1 ? MqttPayloadFormat.Utf8 : MqttPayloadFormat.Unspecified,
            MessageExpiryInterval = wire.MessageExpiryInterval is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            ContentType = wire.ContentType,
            ResponseTopic = wire.ResponseTopic,
            CorrelationData = wire.CorrelationData,
            UserProperties = wire.UserProperties.Count == 0 ? [] : [.. wire.UserProperties],
            SubscriptionIdentifiers = wire.SubscriptionIdentifiers.Count == 0 ? [] : [.. wire.SubscriptionIdentifiers],
        };
    }

    /// <summary>The bytes a PUBLISH's property section takes under <paramref name="version"/>: none in 3.1.1, at least its length byte in MQTT 5.</summary>
    public static int SectionSize(MqttProperties? wire, MqttProtocolVersion version) =>
        version != MqttProtocolVersion.V500 ? 0 : PropertyEncoder.SectionSize(wire is null ? 0 : PropertyEncoder.Measure(wire, PropertyContext.Publish, "PUBLISH"));

    private static uint ExpirySeconds(TimeSpan expiry)
    {
        if (expiry <= TimeSpan.Zero || expiry.Ticks % TimeSpan.TicksPerSecond != 0 || expiry.TotalSeconds > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(Blamed, expiry, string.Create(CultureInfo.InvariantCulture,
                $"MessageExpiryInterval is {expiry}; MQTT 5 carries it in whole seconds, from 1 to {uint.MaxValue:N0} [MQTT-3.3.2.3.3]. Give whole seconds, or null for no expiry."));
        }

        return (uint)expiry.TotalSeconds;
    }
}
