namespace StateMachineMqtt.Spec
{
    /// <summary>
    /// The form of a shared subscription, "$share/{ShareName}/{filter}" (MQTT 5.0 section 4.8.2), as a pure rule. The client
    /// holds MQTT 3.1.1 filters to it too, since brokers that take shared subscriptions from 3.1.1 clients (Mosquitto, EMQX,
    /// HiveMQ) read them the same way: a filter that begins "$share/" is never an ordinary filter to them.
    /// </summary>
    public static class SharedSubscriptionRules
    {
        /// <summary>True when <paramref name="filter"/> begins with "$share/" (<see cref="TopicMatchRules.SharedSubscriptionPrefix"/>).</summary>
        public static bool IsShared(string filter)
        {
            string prefix = TopicMatchRules.SharedSubscriptionPrefix;
            if (filter == null || filter.Length < prefix.Length)
            {
                return false;
            }

            for (int i = 0; i < prefix.Length; i++)
            {
                if (filter[i] != prefix[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// What is wrong with <paramref name="filter"/> as a shared subscription: the ShareName (up to the next '/') must be
        /// non-empty and hold no '+' or '#', and a topic filter must follow it. None for a filter that is not shared. The
        /// filter part's own wildcards are the ordinary filter rules' business.
        /// </summary>
        public static SharedSubscriptionProblem FindProblem(string filter)
        {
            if (!IsShared(filter))
            {
                return SharedSubscriptionProblem.None;
            }

            int nameStart = TopicMatchRules.SharedSubscriptionPrefix.Length;
            int nameEnd = filter.Length > nameStart ? filter.IndexOf('/', nameStart) : -1;
            int end = nameEnd < 0 ? filter.Length : nameEnd;
            if (end == nameStart)
            {
                return SharedSubscriptionProblem.EmptyShareName;
            }

            for (int i = nameStart; i < end; i++)
            {
                if (filter[i] == '+' || filter[i] == '#')
                {
                    return SharedSubscriptionProblem.WildcardInShareName;
                }
            }

            return nameEnd < 0 || nameEnd == filter.Length - 1 ? SharedSubscriptionProblem.NoTopicFilter : SharedSubscriptionProblem.None;
        }
    }
}
