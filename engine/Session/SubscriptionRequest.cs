namespace StateMachineMqtt.Engine
{
    /// <summary>A SUBSCRIBE or UNSUBSCRIBE the application asked for (or the engine's restore of the subscriptions).</summary>
    public sealed class SubscriptionRequest
    {
        private SubscriptionRequest(bool isSubscribe, string[] filters, int[] qos, object caller, bool isRestore)
        {
            IsSubscribe = isSubscribe;
            Filters = filters;
            Qos = qos;
            Caller = caller;
            IsRestore = isRestore;
        }

        /// <summary>SUBSCRIBE (true) or UNSUBSCRIBE (false).</summary>
        public bool IsSubscribe { get; }

        /// <summary>The topic filters (fewer once a later request for some of them was acknowledged first).</summary>
        public string[] Filters { get; private set; }

        /// <summary>SUBSCRIBE: the QoS requested for each filter.</summary>
        public int[] Qos { get; private set; }

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

                    at++;
                }
            }

            Filters = filters;
            Qos = qos;
            return kept;
        }

        /// <summary>A SUBSCRIBE for <paramref name="filters"/> at <paramref name="qos"/>.</summary>
        public static SubscriptionRequest Subscribe(string[] filters, int[] qos, object caller)
        {
            return new SubscriptionRequest(true, filters, qos, caller, false);
        }

        /// <summary>An UNSUBSCRIBE for <paramref name="filters"/>.</summary>
        public static SubscriptionRequest Unsubscribe(string[] filters, object caller)
        {
            return new SubscriptionRequest(false, filters, null, caller, false);
        }

        internal static SubscriptionRequest Restore(string[] filters, int[] qos)
        {
            return new SubscriptionRequest(true, filters, qos, null, true);
        }
    }
}
