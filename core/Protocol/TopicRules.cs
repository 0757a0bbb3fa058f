namespace StateMachineMqtt.Protocol;

/// <summary>
/// The topic rules of [MQTT-4.7] as plain answers, shared by the caller-facing checks (TopicValidation, ArgumentException)
/// and the decoder (MqttProtocolException), so both enforce the same rules.
/// </summary>
internal static class TopicRules
{
    /// <summary>
    /// The one topic-name rule, for names the caller gives and names read off the wire (PUBLISH topic, CONNECT will topic).
    /// Well-formed UTF-8 is checked where the bytes are (MqttStrings).
    /// </summary>
    public static TopicNameProblem FindNameProblem(string topic)
    {
        if (string.IsNullOrEmpty(topic))
        {
            return TopicNameProblem.Empty;
        }

        if (HasWildcard(topic))
        {
            return TopicNameProblem.Wildcard;
        }

        return topic.Contains('\0', StringComparison.Ordinal) ? TopicNameProblem.NullCharacter : TopicNameProblem.None;
    }

    /// <summary>True when the topic contains '+' or '#', which only topic filters may [MQTT-3.3.2-2].</summary>
    public static bool HasWildcard(string topic) => topic.AsSpan().IndexOfAny('+', '#') >= 0;

    /// <summary>Finds the first misplaced wildcard in a topic filter.</summary>
    public static TopicFilterProblem FindFilterProblem(string filter)
    {
        ReadOnlySpan<char> rest = filter;
        while (true)
        {
            int slash = rest.IndexOf('/');
            bool last = slash < 0;
            ReadOnlySpan<char> level = last ? rest : rest[..slash];
            if (level.Contains('#') && (level.Length != 1 || !last))
            {
                return TopicFilterProblem.MisplacedMultiLevelWildcard;
            }

            if (level.Contains('+') && level.Length != 1)
            {
                return TopicFilterProblem.PartialSingleLevelWildcard;
            }

            if (last)
            {
                return TopicFilterProblem.None;
            }

            rest = rest[(slash + 1)..];
        }
    }
}
