using System.Globalization;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt;

/// <summary>
/// Between the public <see cref="MqttSubscriptionOptions"/>, the engine's options bits (MQTT 5's Subscription Options byte
/// without its QoS bits: No Local 0x04, Retain As Published 0x08, Retain Handling 0x30) and the codec's filter entry.
/// </summary>
internal static class SubscriptionOptionsMapping
{
    private const int NoLocal = 0x04;
    private const int RetainAsPublished = 0x08;
    private const int RetainHandlingShift = 4;
    private static readonly string Blamed = "options";

    /// <summary>The engine's bits and identifier for <paramref name="options"/>; ArgumentException for what the caller may not ask.</summary>
    public static (int Bits, int Identifier) ToEngine(string filter, MqttSubscriptionOptions? options, MqttProtocolVersion version)
    {
        if (options is null)
        {
            return (0, 0);
        }

        if (version != MqttProtocolVersion.V500)
        {
            throw new ArgumentException("Subscription options need MQTT 5, and this client speaks MQTT 3.1.1. Set MqttClientOptions.ProtocolVersion = MqttProtocolVersion.V500, or subscribe without options.", Blamed);
        }

        if (options.RetainHandling is not (MqttRetainHandling.SendAtSubscribe or MqttRetainHandling.SendAtSubscribeIfNew or MqttRetainHandling.DoNotSend))
        {
            throw new ArgumentOutOfRangeException(Blamed, options.RetainHandling, "RetainHandling is SendAtSubscribe, SendAtSubscribeIfNew or DoNotSend.");
        }

        if (options.NoLocal && filter.StartsWith("$share/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"No Local cannot be set on the shared subscription \"{filter}\" [MQTT-3.8.3-4]: leave NoLocal false.", Blamed);
        }

        if (options.SubscriptionIdentifier is { } id && id is 0 or > MqttSubscriptionOptions.MaximumSubscriptionIdentifier)
        {
            throw new ArgumentOutOfRangeException(Blamed, id, string.Create(CultureInfo.InvariantCulture,
                $"SubscriptionIdentifier is {id}; MQTT 5 allows 1 to {MqttSubscriptionOptions.MaximumSubscriptionIdentifier:N0} [MQTT-3.8.2.1.2]. Give one in that range, or null for none."));
        }

        int bits = (options.NoLocal ? NoLocal : 0) | (options.RetainAsPublished ? RetainAsPublished : 0) | ((int)options.RetainHandling << RetainHandlingShift);
        return (bits, (int)(options.SubscriptionIdentifier ?? 0));
    }

    /// <summary>The SUBSCRIBE entry for a filter at <paramref name="qos"/> with the engine's <paramref name="bits"/>.</summary>
    public static TopicSubscription ToWire(string filter, int qos, int bits) =>
        new(filter, (MqttQualityOfService)qos, (bits & NoLocal) != 0, (bits & RetainAsPublished) != 0, (bits >> RetainHandlingShift) & 0x03);
}
