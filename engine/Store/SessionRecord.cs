namespace StateMachineMqtt.Engine.Store
{
    /// <summary>
    /// One fact the durable store must keep, as the engine emits it (<see cref="SessionEngine.PollRecord"/>) and as
    /// <see cref="SessionRecordCodec"/> encodes it. Which fields mean something depends on <see cref="Kind"/>.
    /// </summary>
    public sealed class SessionRecord
    {
        /// <summary>What happened.</summary>
        public SessionRecordKind Kind;

        /// <summary>The message's place in acceptance order (message records).</summary>
        public long Sequence;

        /// <summary>The packet identifier (MessageSent, ReceiptHeld, ReceiptReleased).</summary>
        public int PacketId;

        /// <summary>QoS (MessageAccepted), or the requested QoS (SubscriptionSet).</summary>
        public int Qos;

        /// <summary>The RETAIN flag (MessageAccepted).</summary>
        public bool Retain;

        /// <summary>The topic (MessageAccepted) or the topic filter (subscription records).</summary>
        public string Topic;

        /// <summary>The payload (MessageAccepted).</summary>
        public byte[] Payload;

        /// <summary>MQTT 5 Subscription Options bits (SubscriptionSet).</summary>
        public int Options;

        /// <summary>MQTT 5 Subscription Identifier, or 0 (SubscriptionSet).</summary>
        public int Identifier;

        /// <summary>The held exchange's topic digest (ReceiptHeld), so a re-delivery after a restart is still recognised (I9).</summary>
        public long TopicDigest;

        /// <summary>The held exchange's payload digest (ReceiptHeld), when <see cref="PayloadKnown"/>.</summary>
        public long PayloadDigest;

        /// <summary>True when the payload digest is known (ReceiptHeld).</summary>
        public bool PayloadKnown;

        /// <summary>MessageAccepted as the engine emits it: the message's caller, so a driver can tell it once the record is durable. Never stored.</summary>
        public object Caller;

        internal static SessionRecord ForMessage(SessionRecordKind kind, long sequence)
        {
            SessionRecord record = new SessionRecord();
            record.Kind = kind;
            record.Sequence = sequence;
            return record;
        }
    }
}
