namespace StateMachineMqtt.Engine
{
    /// <summary>A SUBSCRIBE or UNSUBSCRIBE the application asked for (or the engine's restore of the subscriptions).</summary>
    public sealed class SubscriptionRequest
    {
        private SubscriptionRequest(bool isSubscribe, string[] filters, int[] qos, int[] options, int identifier, object caller, bool isRestore)
        {
            IsSubscribe = isSubscribe;
            Filters = filters;
            Qos = qos;
            Options = options;
            Identifier = identifier;
            Caller = caller;
            IsRestore = isRestore;
        }

        /// <summary>SUBSCRIBE (true) or UNSUBSCRIBE (false).</summary>
        public bool IsSubscribe { get; }

        /// <summary>The topic filters (fewer once a later request for some of them was acknowledged first).</summary>
        public string[] Filters { get; private set; }

        /// <summary>SUBSCRIBE: the QoS requested for each filter.</summary>
        public int[] Qos { get; private set; }

        /// <summary>
        /// SUBSCRIBE, MQTT 5: each filter's other Subscription Options bits [MQTT-3.8.3.1] (No Local 0x04, Retain As
        /// Published 0x08, Retain Handling 0x30), QoS left out; null under 3.1.1 or when all are 0.
        /// </summary>
        public int[] Options { get; private set; }

        /// <summary>SUBSCRIBE, MQTT 5: its Subscription Identifier (1 to 268,435,455), or 0 for none.</summary>
        public int Identifier { get; }

        /// <summary>The caller's object, handed back in its events; null for a restore.</summary>
        public object Caller { get; }

        /// <summary>True for the engine's own SUBSCRIBE restoring the subscriptions after a session was lost (I8).</summary>
        public bool IsRestore { get; }

        /// <summary>The packet identifier while it is on a link, else 0.</summary>
        public int PacketId { get; internal set; }

        internal long DeadlineMs;
        internal bool CallerDetached;
        internal long SentSequence; // the order in which requests went on the link

        /// <summary>True when <paramref name="filter"/> is one of <see cref="Filters"/>.</summary>
        internal bool Names(string filter)
        {
            for (int i = 0; i < Filters.Length; i++)
            {
                if (Filters[i] == filter)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Drops every filter <paramref name="other"/> names (with its QoS); returns how many are left.</summary>
        internal int DropFiltersOf(SubscriptionRequest other)
        {
            int kept = 0;
            for (int i = 0; i < Filters.Length; i++)
            {
                if (!other.Names(Filters[i]))
                {
                    kept++;
                }
            }

            if (kept == Filters.Length || kept == 0)
            {
                return kept;
            }

            string[] filters = new string[kept];
            int[] qos = Qos == null ? null : new int[kept];
            int[] options = Options == null ? null : new int[kept];
            int at = 0;
            for (int i = 0; i < Filters.Length; i++)
            {
                if (!other.Names(Filters[i]))
                {
                    filters[at] = Filters[i];
                    if (qos != null)
                    {
                        qos[at] = Qos[i];
                    }

                    if (options != null)
                    {
                        options[at] = Options[i];
                    }

                    at++;
                }
            }

            Filters = filters;
            Qos = qos;
            Options = options;
            return kept;
        }

        /// <summary>A SUBSCRIBE for <paramref name="filters"/> at <paramref name="qos"/>.</summary>
        public static SubscriptionRequest Subscribe(string[] filters, int[] qos, object caller)
        {
            return new SubscriptionRequest(true, filters, qos, null, 0, caller, false);
        }

        /// <summary>
        /// An MQTT 5 SUBSCRIBE with each filter's other Subscription Options bits (<paramref name="options"/>, or null) and a
        /// Subscription Identifier (0: none); both are kept with the subscription and restored with it (I8).
        /// </summary>
        public static SubscriptionRequest Subscribe(string[] filters, int[] qos, int[] options, int identifier, object caller)
        {
            return new SubscriptionRequest(true, filters, qos, options, identifier, caller, false);
        }

        /// <summary>The other Subscription Options bits of filter <paramref name="index"/>: 0 when none were given.</summary>
        public int OptionsOf(int index)
        {
            return Options == null ? 0 : Options[index];
        }

        /// <summary>An UNSUBSCRIBE for <paramref name="filters"/>.</summary>
        public static SubscriptionRequest Unsubscribe(string[] filters, object caller)
        {
            return new SubscriptionRequest(false, filters, null, null, 0, caller, false);
        }

        internal static SubscriptionRequest Restore(string[] filters, int[] qos, int[] options, int identifier)
        {
            return new SubscriptionRequest(true, filters, qos, options, identifier, null, true);
        }
    }
}
