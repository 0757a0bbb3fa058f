namespace StateMachineMqtt.Engine
{
    /// <summary>A message the broker delivered, waiting for the application to take it (<see cref="SessionEngine.TakeMessage"/>).</summary>
    public sealed class InboundMessage
    {
        /// <summary>A received message.</summary>
        public InboundMessage(string topic, byte[] payload, int qos, bool retain, bool dup, int packetId)
            : this(topic, payload, qos, retain, dup, packetId, null)
        {
        }

        /// <summary>A received message with the driver's decoded MQTT 5 properties (opaque to the engine), or null.</summary>
        public InboundMessage(string topic, byte[] payload, int qos, bool retain, bool dup, int packetId, object properties)
        {
            Properties = properties;
            Topic = topic;
            Payload = payload;
            Qos = qos;
            Retain = retain;
            Dup = dup;
            PacketId = packetId;
        }

        /// <summary>The topic name.</summary>
        public string Topic { get; }

        /// <summary>The payload.</summary>
        public byte[] Payload { get; }

        /// <summary>The QoS it was delivered at.</summary>
        public int Qos { get; }

        /// <summary>The RETAIN flag.</summary>
        public bool Retain { get; }

        /// <summary>The DUP flag: the broker may have sent it before.</summary>
        public bool Dup { get; }

        /// <summary>The driver's MQTT 5 properties of its PUBLISH, or null: the engine only carries them to the application.</summary>
        public object Properties { get; }

        /// <summary>Its packet identifier (QoS >= 1), else 0.</summary>
        public int PacketId { get; }

        /// <summary>The link it arrived on: its acknowledgement may go only there.</summary>
        internal int Link;

        /// <summary>QoS 2: its exchange, until the application takes it (then the exchange goes on without the message).</summary>
        internal InboundReceipt Receipt;

        /// <summary>
        /// True for the stand-in of a PUBLISH too large to deliver (no payload): it holds that message's place in the queue so
        /// its acknowledgement keeps the order of arrival [MQTT-4.6.0-2], and is acknowledged, never handed over, once it
        /// reaches the head. The engine never lets one be the head the application sees.
        /// </summary>
        internal bool IsPlaceholder;

        /// <summary>The stand-in for an oversized PUBLISH of <paramref name="qos"/> 1 or 2, received on <paramref name="link"/>.</summary>
        internal static InboundMessage Placeholder(string topic, int qos, bool dup, int packetId, int link)
        {
            InboundMessage placeholder = new InboundMessage(topic, null, qos, false, dup, packetId);
            placeholder.Link = link;
            placeholder.IsPlaceholder = true;
            return placeholder;
        }
    }
}
