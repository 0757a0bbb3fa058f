namespace StateMachineMqtt.Engine.Store
{
    /// <summary>What one record of the durable session log says happened.</summary>
    public enum SessionRecordKind
    {
        /// <summary>A QoS 1 or 2 message was accepted: its sequence, topic, payload, QoS and RETAIN flag.</summary>
        MessageAccepted = 1,

        /// <summary>It was first put on a link with its packet identifier: every later send carries DUP = 1 [MQTT-3.3.1-1].</summary>
        MessageSent = 2,

        /// <summary>QoS 2: PUBREC came, so PUBREL (never the PUBLISH) is what is sent again [MQTT-4.3.3-2].</summary>
        PubRecReceived = 3,

        /// <summary>It completed (acknowledged, failed, withdrawn or dropped): it is never replayed.</summary>
        MessageCompleted = 4,

        /// <summary>An inbound QoS 2 exchange is held by its packet identifier until PUBREL.</summary>
        ReceiptHeld = 5,

        /// <summary>That exchange ended (PUBREL, or the broker's session was lost).</summary>
        ReceiptReleased = 6,

        /// <summary>A subscription is in force (added or changed).</summary>
        SubscriptionSet = 7,

        /// <summary>A subscription was removed.</summary>
        SubscriptionRemoved = 8,
    }
}
