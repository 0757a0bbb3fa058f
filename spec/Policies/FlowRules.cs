namespace StateMachineMqtt.Spec
{
    /// <summary>Flow control as pure rules: the in-flight window, the outbound queue bound, the receive queue bound (I10).</summary>
    public static class FlowRules
    {
        /// <summary>
        /// True when one more QoS >= 1 PUBLISH may go out: fewer than <paramref name="maxInflight"/> await their acknowledgement.
        /// Messages past the window wait in order, unsent, holding no packet identifier.
        /// </summary>
        public static bool MayTransmit(int awaitingAck, int maxInflight)
        {
            return awaitingAck < maxInflight;
        }

        /// <summary>
        /// The in-flight window on a link: the client's <paramref name="maxInflight"/>, clamped to the MQTT 5 broker's Receive
        /// Maximum from CONNACK (<paramref name="receiveMaximum"/> > 0), which the client may not exceed [MQTT-4.9.0-2].
        /// </summary>
        public static int Window(int maxInflight, int receiveMaximum)
        {
            return receiveMaximum > 0 && receiveMaximum < maxInflight ? receiveMaximum : maxInflight;
        }

        /// <summary>
        /// Whether a message of <paramref name="bytes"/> payload bytes joins the outbound queue, which holds
        /// <paramref name="count"/> messages and <paramref name="queuedBytes"/> bytes. An empty queue always takes one message,
        /// however big, so a message larger than the byte bound cannot wait forever.
        /// </summary>
        public static AdmitVerdict Admit(int count, long queuedBytes, long bytes, int maxCount, long maxBytes, OutboundOverflowPolicy policy, bool hasQueuedQoS0)
        {
            if (count == 0 || (count < maxCount && queuedBytes + bytes <= maxBytes))
            {
                return AdmitVerdict.Accept;
            }

            if (policy == OutboundOverflowPolicy.Reject)
            {
                return AdmitVerdict.Reject;
            }

            if (policy == OutboundOverflowPolicy.DropOldestQoS0 && hasQueuedQoS0)
            {
                return AdmitVerdict.AcceptAfterDroppingOldestQoS0;
            }

            return AdmitVerdict.Wait;
        }

        /// <summary>True while the client should read the socket: the application's queue has room for one more message.</summary>
        public static bool MayRead(int undelivered, int receiveQueueLength)
        {
            return undelivered < receiveQueueLength;
        }

        /// <summary>
        /// True when a message arriving at a full application queue makes room by dropping the oldest queued QoS 0 message
        /// instead of pausing the reader: only under <see cref="ReceiveOverflowPolicy.DropOldestQoS0"/>, and only if a QoS 0
        /// message is queued (QoS >= 1 is never dropped).
        /// </summary>
        public static bool DropsOldestQoS0OnReceive(ReceiveOverflowPolicy policy, bool hasQueuedQoS0)
        {
            return policy == ReceiveOverflowPolicy.DropOldestQoS0 && hasQueuedQoS0;
        }
    }
}
