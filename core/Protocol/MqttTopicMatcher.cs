using StateMachineMqtt.Spec;

namespace StateMachineMqtt;

/// <summary>
/// Topic filters [MQTT-4.7]: whether a received message's topic matches a filter, to route messages to handlers the way
/// the broker routed them to the subscription. The client's own subscription streams
/// (<see cref="MqttClient.SubscribeStreamAsync"/>) are routed by the same rule.
/// </summary>
public static class MqttTopicMatcher
{
    /// <summary>
    /// True when a message published to <paramref name="topic"/> is one a subscription to <paramref name="filter"/> receives:
    /// <list type="bullet">
    /// <item><c>+</c> matches exactly one level, an empty one too: <c>sport/+</c> matches <c>sport/</c> but not <c>sport</c>
    /// or <c>sport/tennis/player1</c>;</item>
    /// <item><c>#</c>, the last level, matches its parent level and everything below it: <c>sport/#</c> matches <c>sport</c>,
    /// <c>sport/tennis</c> and <c>sport/tennis/player1</c>;</item>
    /// <item>a filter that begins with a wildcard does not match a topic that begins with <c>$</c> (<c>#</c> does not match
    /// <c>$SYS/uptime</c>, <c>$SYS/#</c> does) [MQTT-4.7.2-1];</item>
    /// <item>a shared subscription, <c>$share/{ShareName}/{filter}</c>, matches what its filter part matches;</item>
    /// <item>everything else is compared character for character, case-sensitively.</item>
    /// </list>
    /// It allocates nothing.
    /// </summary>
    /// <param name="filter">A topic filter, as given to SubscribeAsync.</param>
    /// <param name="topic">A topic name, such as <see cref="MqttMessage.Topic"/>.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="filter"/> is not a valid topic filter (SubscribeAsync's checks, and a well-formed ShareName), or
    /// <paramref name="topic"/> is not a valid topic name (PublishAsync's checks): the message says what is wrong. A typo in
    /// a filter fails here, where it is made, instead of silently matching nothing; use <see cref="IsValidFilter"/> to check a
    /// filter first.
    /// </exception>
    public static bool IsMatch(string filter, string topic)
    {
        EnsureValid(filter, nameof(filter));
        TopicValidation.EnsureTopicName(topic, nameof(topic));
        return TopicMatchRules.Matches(filter, topic);
    }

    /// <summary>
    /// True when <paramref name="filter"/> is a valid topic filter: not empty, no U+0000, at most 65,535 UTF-8 bytes, each
    /// wildcard a whole level and <c>#</c> only last [MQTT-4.7.1], and a shared subscription with a ShareName free of
    /// <c>+</c> and <c>#</c> and a filter after it. <see cref="IsMatch"/> throws for exactly the filters this rejects.
    /// </summary>
    public static bool IsValidFilter(string? filter)
    {
        try
        {
            EnsureValid(filter!, nameof(filter));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Throws ArgumentException (naming <paramref name="parameterName"/>) unless <paramref name="filter"/> is valid.</summary>
    internal static void EnsureValid(string filter, string parameterName)
    {
        // Shared subscriptions included: TopicValidation holds them to SharedSubscriptionRules.
        TopicValidation.EnsureTopicFilter(filter, parameterName);
    }
}
