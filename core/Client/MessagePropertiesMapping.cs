using System.Globalization;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt;

/// <summary>Between the public <see cref="MqttMessageProperties"/> and the codec's property set of a PUBLISH.</summary>
internal static class MessagePropertiesMapping
{
    private const string Blamed = "properties"; // PublishAsync's and RequestAsync's argument

    /// <summary>
    /// The wire set for a PUBLISH of <paramref name="version"/>, checked as the caller's mistake (ArgumentException naming
    /// <paramref name="blamed"/>): MQTT 3.1.1 carries none, a client sends no Subscription Identifier, and every value must
    /// fit its field.
    /// </summary>
    public static MqttProperties? ToWire(MqttMessageProperties? properties, MqttProtocolVersion version, string blamed = Blamed)
    {
        if (properties is null)
        {
            return null;
        }

        if (version != MqttProtocolVersion.V500)
        {
            throw new ArgumentException(
                "Message properties need MQTT 5, and this client speaks MQTT 3.1.1. Set MqttClientOptions.ProtocolVersion = MqttProtocolVersion.V500, or publish without properties.", blamed);
        }

        if (properties.SubscriptionIdentifiers.Count > 0)
        {
            throw new ArgumentException(
                "The properties carry Subscription Identifiers, which only a broker sends [MQTT-3.3.4-6]. Leave SubscriptionIdentifiers empty when publishing.", blamed);
        }

        var wire = new MqttProperties();
        if (properties.PayloadFormat is not (MqttPayloadFormat.Unspecified or MqttPayloadFormat.Utf8))
        {
            throw new ArgumentOutOfRangeException(blamed, properties.PayloadFormat, "PayloadFormat is Unspecified or Utf8.");
        }

        if (properties.PayloadFormat == MqttPayloadFormat.Utf8)
        {
            wire.PayloadFormatIndicator = 1;
        }

        if (properties.MessageExpiryInterval is { } expiry)
        {
            wire.MessageExpiryInterval = WholeSeconds(expiry, "MessageExpiryInterval", allowZero: false, blamed);
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
                throw new ArgumentException("ResponseTopic is not a topic name a responder can publish to. " + e.Message, blamed, e);
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

    /// <summary>
    /// The will's property set for an MQTT 5 CONNECT: its message properties and its Will Delay Interval; null under 3.1.1
    /// or when it has neither. Throws ArgumentException as <see cref="ToWire"/> does, naming the option: "Will".
    /// </summary>
    public static MqttProperties? WillProperties(MqttWillMessage will, MqttProtocolVersion version)
    {
        if (version != MqttProtocolVersion.V500 || (will.Properties is null && will.DelayInterval is null))
        {
            return null;
        }

        const string blamed = nameof(MqttClientOptions.Will);
        MqttProperties wire = ToWire(will.Properties ?? new MqttMessageProperties(), version, blamed)!;
        if (will.DelayInterval is { } delay)
        {
            wire.WillDelayInterval = WholeSeconds(delay, "Will.DelayInterval", allowZero: true, blamed);
        }

        _ = PropertyEncoder.Measure(wire, PropertyContext.Will, "CONNECT will");
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

    private static uint WholeSeconds(TimeSpan interval, string name, bool allowZero, string blamed)
    {
        if (interval < (allowZero ? TimeSpan.Zero : TimeSpan.FromSeconds(1)) || interval.Ticks % TimeSpan.TicksPerSecond != 0 || interval.TotalSeconds > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(blamed, interval, string.Create(CultureInfo.InvariantCulture,
                $"{name} is {interval}; MQTT 5 carries it in whole seconds, from {(allowZero ? 0 : 1)} to {uint.MaxValue:N0}. Give whole seconds, or null for none."));
        }

        return (uint)interval.TotalSeconds;
    }
}
