namespace StateMachineMqtt.Spec
{
    /// <summary>
    /// Topic matching [MQTT-4.7] as a pure rule: whether a message published to a topic is delivered by a subscription to a
    /// filter. It allocates nothing (it compares characters in place), so a driver may run it for every received message.
    /// </summary>
    public static class TopicMatchRules
    {
        /// <summary>
        /// How a shared subscription's filter begins: "$share/{ShareName}/{filter}" (MQTT 5.0 section 4.8.2; brokers such as
        /// Mosquitto, EMQX and HiveMQ accept it from MQTT 3.1.1 clients too). Its messages carry topics matching {filter}.
        /// </summary>
        public const string SharedSubscriptionPrefix = "$share/";

        /// <summary>
        /// True when <paramref name="topic"/> matches <paramref name="filter"/>: '+' matches exactly one level (an empty one
        /// too) [MQTT-4.7.1-3]; '#', the last level, matches its parent level and any number of levels below it
        /// [MQTT-4.7.1-2]; other levels match the same characters only, case-sensitively [MQTT-4.7.3-4]. A filter beginning
        /// with a wildcard does not match a topic beginning with '$' [MQTT-4.7.2-1]. A shared subscription matches by its
        /// filter part (see <see cref="SharedFilterStart"/>).
        /// False, rather than an answer, when the filter is not a valid topic filter (a wildcard that is not a whole level,
        /// '#' not last, an empty or malformed shared subscription) or the topic is not a valid topic name (empty, or holding
        /// '+', '#' or U+0000) [MQTT-4.7.3-1]: a malformed filter matches nothing.
        /// </summary>
        public static bool Matches(string filter, string topic)
        {
            if (filter == null || !IsTopicName(topic))
            {
                return false;
            }

            int f = SharedFilterStart(filter);
            if (f < 0 || f == filter.Length)
            {
                return false;
            }

            if (topic[0] == '$' && (filter[f] == '+' || filter[f] == '#'))
            {
                return false;
            }

            int t = 0;
            bool topicEnded = false;
            while (true)
            {
                int filterEnd = LevelEnd(filter, f);
                if (filterEnd - f == 1 && filter[f] == '#')
                {
                    return filterEnd == filter.Length;
                }

                if (topicEnded)
                {
                    return false;
                }

                int topicEnd = LevelEnd(topic, t);
                bool anyLevel = filterEnd - f == 1 && filter[f] == '+';

                // The topic holds no wildcard, so a level equal to a topic level holds none either: a misplaced '+' or '#'
                // never compares equal, and a filter that matches was valid in every level it had.
                if (!anyLevel && !SameLevel(filter, f, filterEnd, topic, t, topicEnd))
                {
                    return false;
                }

                if (filterEnd == filter.Length)
                {
                    return topicEnd == topic.Length;
                }

                f = filterEnd + 1;
                if (topicEnd == topic.Length)
                {
                    topicEnded = true;
                }
                else
                {
                    t = topicEnd + 1;
                }
            }
        }

        /// <summary>
        /// Where the part of <paramref name="filter"/> that topics are matched against begins: 0 for an ordinary filter; just
        /// after "$share/{ShareName}/" for a shared subscription; -1 for a malformed shared subscription, whose ShareName is
        /// empty or holds '+', '#' or U+0000, or which has no filter part (MQTT 5.0 [MQTT-4.8.2-1], [MQTT-4.8.2-2]).
        /// </summary>
        public static int SharedFilterStart(string filter)
        {
            if (!SharedSubscriptionRules.IsShared(filter))
            {
                return 0;
            }

            if (SharedSubscriptionRules.FindProblem(filter) != SharedSubscriptionProblem.None)
            {
                return -1;
            }

            int nameEnd = filter.IndexOf('/', SharedSubscriptionPrefix.Length);
            for (int i = SharedSubscriptionPrefix.Length; i < nameEnd; i++)
            {
                if (filter[i] == '\0')
                {
                    return -1;
                }
            }

            return nameEnd + 1;
        }

        private static bool IsTopicName(string topic)
        {
            if (topic == null || topic.Length == 0)
            {
                return false;
            }

            for (int i = 0; i < topic.Length; i++)
            {
                char c = topic[i];
                if (c == '+' || c == '#' || c == '\0')
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The index of the '/' ending the level that starts at <paramref name="start"/>, or the length.</summary>
        private static int LevelEnd(string text, int start)
        {
            if (start >= text.Length)
            {
                return text.Length;
            }

            int slash = text.IndexOf('/', start);
            return slash < 0 ? text.Length : slash;
        }

        private static bool SameLevel(string filter, int filterStart, int filterEnd, string topic, int topicStart, int topicEnd)
        {
            if (filterEnd - filterStart != topicEnd - topicStart)
            {
                return false;
            }

            for (int i = 0; i < filterEnd - filterStart; i++)
            {
                if (filter[filterStart + i] != topic[topicStart + i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
