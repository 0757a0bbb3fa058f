using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Engine
{
    /// <summary>
    /// A message the application published, held by the engine from acceptance until it completes: a QoS 0 message until it
    /// is written, a QoS 1 message until its PUBACK, a QoS 2 message until its PUBCOMP (I1). Its Publish flow's state lives here (external state storage).
    /// </summary>
    public sealed class OutboundMessage : IPublishFlow
    {
        private PublishState _state;

        /// <summary>A message to hand to <see cref="SessionEngine.Publish"/>. The payload is not copied: do not change it afterwards.</summary>
        public OutboundMessage(string topic, byte[] payload, int qos, bool retain, object caller)
            : this(topic, payload, qos, retain, null, 0, caller)
        {
        }

        /// <summary>
        /// A message with the driver's MQTT 5 properties: <paramref name="properties"/> is opaque to the engine, handed back in
        /// every PUBLISH action; <paramref name="propertiesSize"/> is the bytes its property section takes on the wire (length
        /// field included; 0 under MQTT 3.1.1, which has none), so size limits count it.
        /// </summary>
        public OutboundMessage(string topic, byte[] payload, int qos, bool retain, object properties, int propertiesSize, object caller)
        {
            Topic = topic;
            Payload = payload;
            Qos = qos;
            Retain = retain;
            Properties = properties;
            PropertiesSize = propertiesSize;
            Caller = caller;
        }

        /// <summary>The topic name.</summary>
        public string Topic { get; }

        /// <summary>The payload.</summary>
        public byte[] Payload { get; }

        /// <summary>0, 1 or 2.</summary>
        public int Qos { get; }

        /// <summary>The RETAIN flag.</summary>
        public bool Retain { get; }

        /// <summary>The driver's MQTT 5 properties for its PUBLISH, or null: the engine only carries them.</summary>
        public object Properties { get; }

        /// <summary>The bytes the PUBLISH's property section takes, length field included (0 under MQTT 3.1.1).</summary>
        public int PropertiesSize { get; }

        /// <summary>The caller's object, handed back in this message's events.</summary>
        public object Caller { get; }

        /// <summary>The packet identifier while it has one (from its first send until it completes), else 0.</summary>
        public int PacketId { get; internal set; }

        /// <summary>How many times it was put on a link.</summary>
        public int Sends { get; internal set; }

        /// <summary>True once the caller stopped waiting (cancelled after the first send); the message is still held (I1).</summary>
        public bool CallerDetached { get; internal set; }

        /// <summary>The QoS 1 or 2 flow's state (QoS 0 messages stay Queued until written).</summary>
        public PublishState State
        {
            get { return _state; }
            set { _state = value; }
        }

        internal SessionEngine Owner;
        internal OutboundMessage Previous;
        internal OutboundMessage Next;
        internal bool Held;
        internal int RepublishesOnLink; // re-sends (3.1.1) or waits (MQTT 5) after a timeout, on this link
        internal long DeadlineMs;
        internal int WrittenOnLink;
        internal long Sequence; // its place in acceptance order (1, 2, ...): what a drain waits up to

        /// <summary>The Publish table's guards for this flow.</summary>
        public bool Holds(PublishGuard guard)
        {
            if (guard == PublishGuard.V311ResendsLeft)
            {
                return Owner.Options.ProtocolVersion == MqttProtocolVersion.V311 && RepublishesOnLink < Owner.Options.MaxRepublishes;
            }

            if (guard == PublishGuard.V5WaitsLeft)
            {
                return Owner.Options.ProtocolVersion == MqttProtocolVersion.V500 && RepublishesOnLink < Owner.Options.MaxRepublishes;
            }

            if (guard == PublishGuard.RetriesExhausted)
            {
                return RepublishesOnLink >= Owner.Options.MaxRepublishes;
            }

            if (guard == PublishGuard.V311 || guard == PublishGuard.V5)
            {
                return Owner.Options.ProtocolVersion == (guard == PublishGuard.V311 ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500);
            }

            if (guard == PublishGuard.AtLeastOnce)
            {
                return Qos == 1;
            }

            if (guard == PublishGuard.ExactlyOnce)
            {
                return Qos == 2;
            }

            return true;
        }
    }
}
