namespace StateMachineMqtt;

/// <summary>
/// MQTT 5: the broker refused to unsubscribe from a filter (UNSUBACK reason code from 0x80: 0x87 Not authorized, 0x8F Topic
/// Filter invalid…). The broker may still deliver on it; the client no longer restores it after a reconnect.
/// </summary>
public sealed class MqttUnsubscribeException : Exception
{
    /// <summary>
    /// Creates the exception for <paramref name="topicFilter"/>, refused with <paramref name="reasonCode"/>;
    /// <paramref name="detail"/> says what the broker answered, with its Reason String if it gave one.
    /// </summary>
    public MqttUnsubscribeException(string topicFilter, int reasonCode, string detail)
        : base($"{Capitalized(detail)} ({ReasonCodeNames.Describe(reasonCode)}). Messages on it may still come; check the broker's access rules for this client and filter.")
    {
        TopicFilter = topicFilter;
        ReasonCode = reasonCode;
    }

    /// <summary>Creates the exception.</summary>
    public MqttUnsubscribeException() : base("The broker refused to unsubscribe.") { TopicFilter = ""; }

    /// <summary>Creates the exception.</summary>
    public MqttUnsubscribeException(string message) : base(message) { TopicFilter = ""; }

    /// <summary>Creates the exception.</summary>
    public MqttUnsubscribeException(string message, Exception innerException) : base(message, innerException) { TopicFilter = ""; }

    /// <summary>The filter the broker refused to remove.</summary>
    public string TopicFilter { get; }

    /// <summary>The UNSUBACK's reason code for the filter (0x80 and up).</summary>
    public int ReasonCode { get; }

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
