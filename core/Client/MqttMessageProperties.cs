namespace StateMachineMqtt;

/// <summary>
/// The MQTT 5 properties of an application message [MQTT-3.3.2.3]: what <see cref="MqttClient.PublishAsync(string, ReadOnlyMemory{byte}, Protocol.MqttQualityOfService, bool, MqttMessageProperties?, CancellationToken)"/>
/// sends, and what <see cref="MqttMessage.Properties"/> holds for a received message. MQTT 3.1.1 has none of them.
/// </summary>
public sealed class MqttMessageProperties
{
    /// <summary>Whether the payload is UTF-8 text or unspecified bytes (the default).</summary>
    public MqttPayloadFormat PayloadFormat { get; init; }

    /// <summary>
    /// How long the broker may keep the message for subscribers that have not yet received it, in whole seconds; null (the
    /// default) keeps it for as long as their sessions last. A received message carries what is left of it.
    /// </summary>
    public TimeSpan? MessageExpiryInterval { get; init; }

    /// <summary>A description of the payload, such as a MIME type ("application/json"); MQTT gives it no meaning.</summary>
    public string? ContentType { get; init; }

    /// <summary>The topic a responder should publish its answer to (request/response); a topic name, no wildcards.</summary>
    public string? ResponseTopic { get; init; }

    /// <summary>Data a requester uses to match a response to its request; sent back unchanged by the responder.</summary>
    public ReadOnlyMemory<byte>? CorrelationData { get; init; }

    /// <summary>Name/value pairs carried with the message, in order; a name may appear more than once.</summary>
    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];

    /// <summary>
    /// On a received message only: the identifiers of the subscriptions it matched, as given to SubscribeAsync. A client
    /// must not send them [MQTT-3.3.4-6], so PublishAsync refuses a set that has any.
    /// </summary>
    public IReadOnlyList<uint> SubscriptionIdentifiers { get; init; } = [];
}
