using System.Text;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Spec;

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
        switch (SharedSubscriptionRules.FindProblem(filter))
        {
            case SharedSubscriptionProblem.EmptyShareName:
                throw new ArgumentException($"Topic filter \"{filter}\" is a malformed shared subscription: the share name between \"$share/\" and the next '/' is empty [MQTT-4.8.2-1]. Write \"$share/GROUP/FILTER\", e.g. \"$share/workers/jobs/#\".", parameterName);
            case SharedSubscriptionProblem.WildcardInShareName:
                throw new ArgumentException($"Topic filter \"{filter}\" is a malformed shared subscription: the share name must not contain '+' or '#' [MQTT-4.8.2-2]. Name the group plainly, e.g. \"$share/workers/jobs/#\"; wildcards belong in the filter after it.", parameterName);
            case SharedSubscriptionProblem.NoTopicFilter:
                throw new ArgumentException($"Topic filter \"{filter}\" is a malformed shared subscription: no topic filter follows the share name [MQTT-4.8.2-1]. Write \"$share/GROUP/FILTER\", e.g. \"$share/workers/jobs/#\".", parameterName);
            case SharedSubscriptionProblem.None:
                break;
        }

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

    // Throws on an unpaired surrogate instead of counting it as U+FFFD, so the refusal comes here, before anything is queued.
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static void EnsureLength(string value, string parameterName, string what)
    {
        int byteCount;
        try
        {
            byteCount = Strict.GetByteCount(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"The {what} contains an unpaired UTF-16 surrogate, which has no UTF-8 encoding [MQTT-1.5.3-1]. Fix the string.", parameterName, e);
        }

        if (byteCount > 65535)
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
