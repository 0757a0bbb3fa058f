namespace StateMachineMqtt.Nano.Client
{
    /// <summary>MQTT 5 options of one subscription [MQTT-3.8.3.1]; kept with it and restored with it after a new session.</summary>
    public sealed class NanoSubscriptionOptions
    {
        /// <summary>The largest Subscription Identifier MQTT 5 allows.</summary>
        public const int MaximumSubscriptionIdentifier = 268435455;

        /// <summary>No Local: the broker does not send this client its own publishes on this subscription (not for shared ones).</summary>
        public bool NoLocal { get; set; }

        /// <summary>Retain As Published: messages keep the RETAIN flag they were published with.</summary>
        public bool RetainAsPublished { get; set; }

        /// <summary>Retain Handling: 0 send retained messages at subscribe, 1 only if the subscription is new, 2 never.</summary>
        public int RetainHandling { get; set; }

        /// <summary>A Subscription Identifier (1 to 268,435,455) that messages matching this subscription carry; 0: none.</summary>
        public int SubscriptionIdentifier { get; set; }
    }
}
