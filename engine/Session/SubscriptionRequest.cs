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

        /// <summary>The topic filters.</summary>
        public string[] Filters { get; }

        /// <summary>SUBSCRIBE: the QoS requested for each filter.</summary>
        public int[] Qos { get; }

        /// <summary>The caller's object, handed back in its events; null for a restore.</summary>
        public object Caller { get; }

        /// <summary>True for the engine's own SUBSCRIBE restoring the subscriptions after a session was lost (I8).</summary>
        public bool IsRestore { get; }

        /// <summary>The packet identifier while it is on a link, else 0.</summary>
        public int PacketId { get; internal set; }

        internal long DeadlineMs;
        internal bool CallerDetached;

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
