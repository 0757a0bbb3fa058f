namespace StateMachineMqtt.Spec
{
    /// <summary>States of one outbound QoS 1 or QoS 2 PUBLISH, from acceptance to PUBACK or PUBCOMP.</summary>
    public enum PublishState
    {
        /// <summary>Accepted and held, never sent: its first send will have DUP = 0.</summary>
        Queued,
        /// <summary>Sent on the current link; waiting for PUBACK within the response time.</summary>
        AwaitingPubAck,
        /// <summary>Sent before, on a link now lost: held, and will be re-sent with DUP = 1.</summary>
        Resend,
        /// <summary>PUBACK received: delivered to the broker. Final.</summary>
        Acked,
        /// <summary>Cancelled by the caller before it was ever sent. Final.</summary>
        Withdrawn,
        /// <summary>QoS 2: the PUBLISH was sent on the current link; waiting for PUBREC within the response time.</summary>
        AwaitingPubRec,
        /// <summary>QoS 2: the PUBLISH was sent before, on a link now lost, and not yet received: it is re-sent with DUP = 1.</summary>
        ResendQos2,
        /// <summary>QoS 2: PUBREC came and PUBREL was sent on the current link; waiting for PUBCOMP. The PUBLISH is never sent again.</summary>
        AwaitingPubComp,
        /// <summary>QoS 2: PUBREL was sent on a link now lost: PUBREL, not the PUBLISH, is sent again on the next link.</summary>
        ResendPubRel,
        /// <summary>MQTT 5: the broker answered with a failure reason code (PUBACK or PUBREC, 0x80 and up) and will not deliver the message. Final.</summary>
        Refused,

        /// <summary>
        /// MQTT 5: larger than the Maximum Packet Size the broker gave in its CONNACK, so it may not be sent on this link
        /// [MQTT-3.2.2-15]; it failed unsent (or, if sent before on a link to a broker that took it, un-re-sent). Final.
        /// </summary>
        Oversized,
    }

    /// <summary>Events of the outbound QoS 1 and QoS 2 machine.</summary>
    public enum PublishTrigger
    {
        /// <summary>The link is up and the in-flight window has room: send it.</summary>
        Transmit,
        /// <summary>PUBACK with this packet identifier arrived.</summary>
        PubAck,
        /// <summary>PUBREC with this packet identifier arrived.</summary>
        PubRec,
        /// <summary>PUBCOMP with this packet identifier arrived.</summary>
        PubComp,
        /// <summary>MQTT 5: PUBACK with this packet identifier and a failure reason code (0x80 and up) arrived.</summary>
        PubAckRefused,
        /// <summary>MQTT 5: PUBREC with this packet identifier and a failure reason code (0x80 and up) arrived.</summary>
        PubRecRefused,
        /// <summary>No PUBACK, PUBREC or PUBCOMP within the response time.</summary>
        ResponseTimeout,
        /// <summary>The link closed.</summary>
        LinkLost,
        /// <summary>The caller's CancellationToken fired.</summary>
        Cancel,

        /// <summary>Its turn to be sent came, but its PUBLISH is larger than the broker's Maximum Packet Size on this link.</summary>
        TooLarge,
    }

    /// <summary>Conditions on outbound publish rows.</summary>
    public enum PublishGuard
    {
        /// <summary>Always true.</summary>
        None,
        /// <summary>MQTT 3.1.1, and fewer than the maximum re-sends have been made on this link: 3.1.1 lets a client re-send on the same link.</summary>
        V311ResendsLeft,
        /// <summary>MQTT 5, and fewer than the maximum waits have been made on this link: MQTT 5 re-sends only on a new connection [MQTT-4.4.0-1].</summary>
        V5WaitsLeft,
        /// <summary>The maximum re-sends (MQTT 3.1.1) or waits (MQTT 5) have been made on this link.</summary>
        RetriesExhausted,
        /// <summary>The client speaks MQTT 3.1.1.</summary>
        V311,
        /// <summary>The client speaks MQTT 5.</summary>
        V5,
        /// <summary>The message is QoS 1: its flow ends with PUBACK.</summary>
        AtLeastOnce,
        /// <summary>The message is QoS 2: its flow is PUBREC, PUBREL, PUBCOMP.</summary>
        ExactlyOnce,
    }

    /// <summary>Actions of outbound publish rows.</summary>
    public enum PublishEffect
    {
        /// <summary>Nothing.</summary>
        None,
        /// <summary>Write the PUBLISH with an unused packet identifier and DUP = 0 [MQTT-4.3.2-1], and arm the PUBACK deadline.</summary>
        SendPublish,
        /// <summary>Write the PUBLISH again with DUP = 1 [MQTT-3.3.1-1], same packet identifier, and arm the deadline.</summary>
        SendPublishDup,
        /// <summary>Write PUBREL with the message's packet identifier and arm the PUBCOMP deadline [MQTT-4.3.3-1].</summary>
        SendPubRel,
        /// <summary>Release the packet identifier and complete PublishAsync: PUBACK [MQTT-4.3.2-1] or PUBCOMP [MQTT-4.3.3-1] came.</summary>
        CompletePublish,
        /// <summary>Send nothing and arm the deadline again: MQTT 5 lets a client re-send only on a new connection [MQTT-4.4.0-1].</summary>
        AwaitAgain,
        /// <summary>Fire RepublishLimitReached on the Connection machine; the message stays held.</summary>
        DeclareLinkDead,
        /// <summary>Release the packet identifier and fail PublishAsync with the broker's reason code and reason string: it refused the message.</summary>
        FailPublish,
        /// <summary>Release the packet identifier, if it has one, and fail PublishAsync: the broker takes no packet that large.</summary>
        FailTooLarge,

        /// <summary>Release the packet identifier and cancel PublishAsync: it was never sent.</summary>
        Withdraw,
        /// <summary>Cancel PublishAsync's wait only: the message was sent once, so it stays held until PUBACK or PUBCOMP (I1).</summary>
        DetachCaller,
    }

    /// <summary>One row of the outbound publish table.</summary>
    public sealed class PublishTransition
    {
        /// <summary>Creates a row.</summary>
        public PublishTransition(PublishState from, PublishTrigger trigger, PublishState to, PublishGuard guard, PublishEffect effect, string rule)
        {
            From = from;
            Trigger = trigger;
            To = to;
            Guard = guard;
            Effect = effect;
            Rule = rule;
        }

        /// <summary>The state the row applies in.</summary>
        public PublishState From { get; }
        /// <summary>The event the row handles.</summary>
        public PublishTrigger Trigger { get; }
        /// <summary>The state after the row.</summary>
        public PublishState To { get; }
        /// <summary>The condition under which the row applies.</summary>
        public PublishGuard Guard { get; }
        /// <summary>The action taken.</summary>
        public PublishEffect Effect { get; }
        /// <summary>The normative statement or design reason the row implements.</summary>
        public string Rule { get; }
    }
}
