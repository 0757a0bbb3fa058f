namespace StateMachineMqtt;

/// <summary>
/// The broker refused a subscription: SUBACK code 0x80 under 3.1.1, or under MQTT 5 a reason code from 0x80 (0x87 Not
/// authorized, 0x97 Quota exceeded, 0x9E Shared Subscriptions not supported…), usually because of its access rules.
/// </summary>
public sealed class MqttSubscribeException : Exception
{
    /// <summary>Creates the exception for <paramref name="topicFilter"/>, refused with SUBACK code 0x80.</summary>
    public MqttSubscribeException(string topicFilter)
        : this(topicFilter, 0x80)
    {
    }

    /// <summary>Creates the exception for <paramref name="topicFilter"/>, refused with SUBACK code <paramref name="reasonCode"/>.</summary>
    public MqttSubscribeException(string topicFilter, int reasonCode)
        : base($"The broker refused the subscription to \"{topicFilter}\" (SUBACK: {ReasonCodeNames.Describe(reasonCode)}). Check the broker's access rules for this client and filter.")
    {
        TopicFilter = topicFilter;
        ReasonCode = reasonCode;
    }

    /// <summary>Creates the exception.</summary>
    public MqttSubscribeException() : base("The broker refused the subscription (SUBACK 0x80).") { TopicFilter = ""; ReasonCode = 0x80; }

    /// <summary>Creates the exception.</summary>
    public MqttSubscribeException(string message, Exception innerException) : base(message, innerException) { TopicFilter = ""; ReasonCode = 0x80; }

    /// <summary>The refused topic filter.</summary>
    public string TopicFilter { get; }

    /// <summary>The SUBACK's code for the filter: 0x80 under 3.1.1, the MQTT 5 reason code otherwise.</summary>
    public int ReasonCode { get; }
}
