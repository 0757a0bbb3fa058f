using System.Text;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt;

/// <summary>Checks of topic names and filters [MQTT-4.7], with messages that say what to fix.</summary>
internal static class TopicValidation
{
    /// <summary>Throws ArgumentException unless <paramref name="topic"/> is a valid topic name to publish to.</summary>
    public static void EnsureTopicName(string topic, string parameterName)
    {
        switch (TopicRules.FindNameProblem(topic))
        {
            case TopicNameProblem.Empty:
                throw new ArgumentException("The topic must not be empty [MQTT-4.7.3-1].", parameterName);
            case TopicNameProblem.Wildcard:
                throw new ArgumentException($"Topic \"{topic}\" contains a wildcard ('+' or '#'): wildcards are for subscriptions only [MQTT-3.3.2-2]. Publish to a concrete topic.", parameterName);
            case TopicNameProblem.NullCharacter:
                throw new ArgumentException("The topic must not contain the null character U+0000 [MQTT-1.5.3-2].", parameterName);
            case TopicNameProblem.None:
                break;
        }

        EnsureLength(topic, parameterName, "topic");
    }

    /// <summary>Throws ArgumentException unless <paramref name="filter"/> is a valid topic filter to subscribe to.</summary>
    public static void EnsureTopicFilter(string filter, string parameterName)
    {
        EnsureString(filter, parameterName, "topic filter");
        switch (TopicRules.FindFilterProblem(filter))
        {
            case TopicFilterProblem.MisplacedMultiLevelWildcard:
                throw new ArgumentException($"Topic filter \"{filter}\": '#' must be a whole level and the last one, e.g. \"sensors/#\" [MQTT-4.7.1-2].", parameterName);
            case TopicFilterProblem.PartialSingleLevelWildcard:
                throw new ArgumentException($"Topic filter \"{filter}\": '+' must fill a whole level, e.g. \"sensors/+/temp\" [MQTT-4.7.1-3].", parameterName);
            case TopicFilterProblem.None:
                break;
        }
    }

    private static void EnsureLength(string value, string parameterName, string what)
    {
        if (Encoding.UTF8.GetByteCount(value) > 65535)
        {
            throw new ArgumentException($"The {what} is longer than 65,535 UTF-8 bytes [MQTT-1.5.3].", parameterName);
        }
    }

    private static void EnsureString(string value, string parameterName, string what)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ArgumentException($"The {what} must not be empty [MQTT-4.7.3-1].", parameterName);
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The {what} must not contain the null character U+0000 [MQTT-1.5.3-2].", parameterName);
        }

        EnsureLength(value, parameterName, what);
    }
}
