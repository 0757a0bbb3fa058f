namespace StateMachineMqtt;

/// <summary>When the broker sends retained messages for a new subscription (MQTT 5 Retain Handling) [MQTT-3.8.3.1].</summary>
public enum MqttRetainHandling
{
    /// <summary>At every subscribe (the default, and MQTT 3.1.1's only behaviour).</summary>
    SendAtSubscribe = 0,

    /// <summary>Only when the subscription did not exist yet.</summary>
    SendAtSubscribeIfNew = 1,

    /// <summary>Never.</summary>
    DoNotSend = 2,
}

/// <summary>
/// MQTT 5 Subscription Options beyond the QoS [MQTT-3.8.3.1], and a Subscription Identifier [MQTT-3.8.2.1.2]. They are
/// kept with the subscription and sent again whenever the client restores it after a lost session.
/// </summary>
public sealed class MqttSubscriptionOptions
{
    /// <summary>The largest Subscription Identifier MQTT 5 allows.</summary>
    public const uint MaximumSubscriptionIdentifier = 268_435_455;

    /// <summary>No Local: the broker does not send this client the messages it published itself. Not on a shared subscription [MQTT-3.8.3-4].</summary>
    public bool NoLocal { get; init; }

    /// <summary>Retain As Published: forwarded messages keep the RETAIN flag they were published with.</summary>
    public bool RetainAsPublished { get; init; }

    /// <summary>When retained messages are sent for this subscription.</summary>
    public MqttRetainHandling RetainHandling { get; init; }

    /// <summary>
    /// A Subscription Identifier, 1 to 268,435,455, which the broker puts on every message it sends for this subscription
    /// (<see cref="MqttMessageProperties.SubscriptionIdentifiers"/>); null for none.
    /// </summary>
    public uint? SubscriptionIdentifier { get; init; }
}
