namespace StateMachineMqtt;

/// <summary>The broker refused a subscription (SUBACK return code 0x80), usually because of its access rules.</summary>
public sealed class MqttSubscribeException : Exception
{
    /// <summary>Creates the exception for <paramref name="topicFilter"/>.</summary>
    public MqttSubscribeException(string topicFilter)
        : base($"The broker refused the subscription to \"{topicFilter}\" (SUBACK 0x80). Check the broker's access rules for this client and filter.")
    {
        TopicFilter = topicFilter;
    }

    /// <summary>Creates the exception.</summary>
    public MqttSubscribeException() : base("The broker refused the subscription (SUBACK 0x80).") { TopicFilter = ""; }

    /// <summary>Creates the exception.</summary>
    public MqttSubscribeException(string message, Exception innerException) : base(message, innerException) { TopicFilter = ""; }

    /// <summary>The refused topic filter.</summary>
    public string TopicFilter { get; }
}
