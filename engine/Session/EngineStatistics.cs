namespace StateMachineMqtt.Engine
{
    /// <summary>Counters of what the engine has done since it was created.</summary>
    public sealed class EngineStatistics
    {
        /// <summary>Publishes accepted into the outbound queue.</summary>
        public long Accepted;

        /// <summary>Messages held again from a durable store's snapshot (SessionEngine.Restore).</summary>
        public long Restored;

        /// <summary>QoS 1 publishes acknowledged by PUBACK, and QoS 2 publishes completed by PUBCOMP.</summary>
        public long Acknowledged;

        /// <summary>QoS 0 publishes written.</summary>
        public long Written;

        /// <summary>MQTT 5 publishes the broker refused with a failure reason code in PUBACK or PUBREC.</summary>
        public long Refused;

        /// <summary>PUBLISH re-sends (with DUP).</summary>
        public long Resent;

        /// <summary>PUBREL re-sends (QoS 2: after a timeout, a repeated PUBREC, or a reconnect); the first PUBREL is not counted.</summary>
        public long ReleasesResent;

        /// <summary>Messages received from the broker and queued for the application.</summary>
        public long Received;

        /// <summary>Received QoS 0 messages dropped under ReceiveOverflowPolicy.DropOldestQoS0.</summary>
        public long DroppedReceived;

        /// <summary>
        /// Received PUBLISH packets over the driver's maximum packet size: read past without buffering, acknowledged as their
        /// QoS requires (so the broker does not re-deliver them), and not delivered. A QoS 2 re-delivery is not counted again.
        /// </summary>
        public long DroppedOversized;

        /// <summary>Queued outbound QoS 0 messages dropped under OutboundOverflowPolicy.DropOldestQoS0.</summary>
        public long DroppedOutbound;

        /// <summary>Outbound messages failed unsent because the broker's Maximum Packet Size (MQTT 5 CONNACK) is below their PUBLISH.</summary>
        public long RefusedOversized;

        /// <summary>Links accepted by a CONNACK.</summary>
        public long Connects;

        /// <summary>Accepted links lost.</summary>
        public long LinksLost;

        /// <summary>Connect attempts that failed and were retried after a backoff.</summary>
        public long ConnectAttemptsFailed;

        /// <summary>Packets the send rules refused (never expected: a non-zero count is a bug the tests look for).</summary>
        public long SendsRefused;

        /// <summary>Packets from the broker that answered nothing open, or came while disconnecting.</summary>
        public long PacketsIgnored;
    }
}
