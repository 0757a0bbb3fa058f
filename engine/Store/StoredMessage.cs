namespace StateMachineMqtt.Engine.Store
{
    /// <summary>An outbound QoS 1 or 2 message the durable store holds: accepted and not yet completed.</summary>
    public sealed class StoredMessage
    {
        /// <summary>Its place in acceptance order.</summary>
        public long Sequence;

        /// <summary>1 or 2.</summary>
        public int Qos;

        /// <summary>The RETAIN flag.</summary>
        public bool Retain;

        /// <summary>The topic name.</summary>
        public string Topic;

        /// <summary>The payload.</summary>
        public byte[] Payload;

        /// <summary>Its packet identifier once it was sent, else 0.</summary>
        public int PacketId;

        /// <summary>True once it was put on a link: a re-send carries DUP = 1.</summary>
        public bool Sent;

        /// <summary>QoS 2: PUBREC came, so PUBREL is sent again, not the PUBLISH.</summary>
        public bool PubRecReceived;
    }
}
