namespace StateMachineMqtt.Spec
{
    /// <summary>States of one inbound QoS 2 message's packet identifier, from its PUBLISH to its PUBREL.</summary>
    public enum ReceiptState
    {
        /// <summary>Nothing held for the identifier: a PUBLISH with it is a new message.</summary>
        Unknown,
        /// <summary>Received and in the application's queue; its PUBREC goes when the application takes it (I10).</summary>
        Held,
        /// <summary>Taken by the application and PUBREC sent (or its link lost before it could go): waiting for PUBREL.</summary>
        AwaitingPubRel,
        /// <summary>PUBREL came and PUBCOMP was sent: the identifier is free for a new message. Final (a message still queued is delivered, unacknowledged).</summary>
        Released,
        /// <summary>The broker started a new session (a CONNACK said so, or a first send reused the identifier): the identifier is forgotten, as the broker forgot it. Final.</summary>
        Forgotten,
    }

    /// <summary>Events of the inbound QoS 2 machine.</summary>
    public enum ReceiptTrigger
    {
        /// <summary>A QoS 2 PUBLISH with this packet identifier arrived (first copy or a re-delivery with DUP).</summary>
        Publish,
        /// <summary>The application took the message (or a too-large message's placeholder reached the head of the queue).</summary>
        Taken,
        /// <summary>PUBREL with this packet identifier arrived.</summary>
        PubRel,
        /// <summary>A CONNACK said the broker holds no session: it will send neither a re-delivery nor PUBREL for this identifier.</summary>
        SessionLost,
    }

    /// <summary>Conditions on inbound QoS 2 rows.</summary>
    public enum ReceiptGuard
    {
        /// <summary>Always true.</summary>
        None,
        /// <summary>The link the PUBLISH arrived on (or last arrived on, for a re-delivery) is still up and connected: PUBREC may go on it.</summary>
        OnItsLink,
        /// <summary>That link is gone: an acknowledgement must not go on another one; the broker re-sends the PUBLISH there instead [MQTT-4.4.0-1].</summary>
        LinkGone,
        /// <summary>
        /// The PUBLISH is this exchange's message again: the same topic and payload [MQTT-4.3.3], and either DUP = 1 or an
        /// exchange begun in the session the broker has now (so a second copy with DUP = 0 is the broker's slip; I9).
        /// </summary>
        Redelivery,
        /// <summary>
        /// The PUBLISH is a new message that reuses the identifier: its topic or payload differ from the exchange's message
        /// (the payload compared only when both were read, not skipped as too large),
        /// or it carries DUP = 0 (the broker's first send of it [MQTT-3.3.1-1]) while the exchange was kept through a session
        /// in doubt (a CONNECT lost its CONNACK), so the broker may have made a new session then and forgotten the exchange.
        /// </summary>
        NewMessage,
    }

    /// <summary>Actions of inbound QoS 2 rows.</summary>
    public enum ReceiptEffect
    {
        /// <summary>Nothing.</summary>
        None,
        /// <summary>Hold the identifier and hand the message to the application's queue (counted as received).</summary>
        Deliver,
        /// <summary>Not delivered again (I9): the first copy still waits in the queue, and its PUBREC will go on this link, the one the broker now listens on.</summary>
        MoveAcknowledgement,
        /// <summary>Write PUBREC with the identifier [MQTT-4.3.3-2].</summary>
        SendPubRec,
        /// <summary>Write PUBCOMP with the identifier [MQTT-4.3.3-2]: an answer for an exchange that already ended.</summary>
        SendPubComp,
        /// <summary>Write PUBCOMP and free the identifier: the exchange is over, and a PUBLISH with it is a new message.</summary>
        Release,
        /// <summary>Free the identifier, sending nothing: the broker's new session has no exchange to finish.</summary>
        Forget,
        /// <summary>
        /// Free the identifier, sending nothing, for the new message that now holds it: the PUBLISH starts an exchange of its
        /// own (a new receipt, delivered). This exchange's message, if still queued, is delivered unacknowledged, as after Forget.
        /// </summary>
        Supersede,
    }

    /// <summary>One row of the inbound QoS 2 table.</summary>
    public sealed class ReceiptTransition
    {
        /// <summary>Creates a row.</summary>
        public ReceiptTransition(ReceiptState from, ReceiptTrigger trigger, ReceiptState to, ReceiptGuard guard, ReceiptEffect effect, string rule)
        {
            From = from;
            Trigger = trigger;
            To = to;
            Guard = guard;
            Effect = effect;
            Rule = rule;
        }

        /// <summary>The state the row applies in.</summary>
        public ReceiptState From { get; }
        /// <summary>The event the row handles.</summary>
        public ReceiptTrigger Trigger { get; }
        /// <summary>The state after the row.</summary>
        public ReceiptState To { get; }
        /// <summary>The condition under which the row applies.</summary>
        public ReceiptGuard Guard { get; }
        /// <summary>The action taken.</summary>
        public ReceiptEffect Effect { get; }
        /// <summary>The normative statement or design reason the row implements.</summary>
        public string Rule { get; }
    }
}
