namespace StateMachineMqtt.PropertyTests.Simulation.Broker;

/// <summary>Topic filter matching with '+' (one level) and '#' (this level and all below) [MQTT-4.7].</summary>
public static class TopicMatcher
{
    /// <summary>True when <paramref name="topic"/> matches <paramref name="filter"/>.</summary>
    public static bool Matches(string filter, string topic)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(topic);

        // Wildcards at the first level do not match topics starting with '$' [MQTT-4.7.2-1].
        if (topic.StartsWith('$') && (filter.StartsWith('+') || filter.StartsWith('#')))
        {
            return false;
        }

        string[] filterLevels = filter.Split('/');
        string[] topicLevels = topic.Split('/');
        for (int i = 0; i < filterLevels.Length; i++)
        {
            string level = filterLevels[i];
            if (level == "#")
            {
                // "a/#" also matches "a" itself [MQTT-4.7.1-2].
                return true;
            }

            if (i >= topicLevels.Length)
            {
                return false;
            }

            if (level != "+" && level != topicLevels[i])
            {
                return false;
            }
        }

        return filterLevels.Length == topicLevels.Length;
    }
}
