namespace StateMachineMqtt.Spec
{
    /// <summary>States of one outbound QoS 1 PUBLISH, from acceptance to PUBACK.</summary>
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
    }

    /// <summary>Events of the outbound QoS 1 machine.</summary>
    public enum PublishTrigger
    {
        /// <summary>The link is up and the in-flight window has room: send it.</summary>
        Transmit,
        /// <summary>PUBACK with this packet identifier arrived.</summary>
        PubAck,
        /// <summary>No PUBACK within the response time.</summary>
        ResponseTimeout,
        /// <summary>The link closed.</summary>
        LinkLost,
        /// <summary>The caller's CancellationToken fired.</summary>
        Cancel,
    }

    /// <summary>Conditions on outbound QoS 1 rows.</summary>
    public enum PublishGuard
    {
        /// <summary>Always true.</summary>
        None,
        /// <summary>Fewer than the maximum re-publishes have been made on this link.</summary>
        RepublishesLeft,
        /// <summary>The maximum re-publishes have been made on this link.</summary>
        RepublishesExhausted,
    }

    /// <summary>Actions of outbound QoS 1 rows.</summary>
    public enum PublishEffect
    {
        /// <summary>Nothing.</summary>
        None,
        /// <summary>Write the PUBLISH with an unused packet identifier and DUP = 0 [MQTT-4.3.2-1], and arm the PUBACK deadline.</summary>
        SendPublish,
        /// <summary>Write the PUBLISH again with DUP = 1 [MQTT-3.3.1-1], same packet identifier, and arm the deadline.</summary>
        SendPublishDup,
        /// <summary>Release the packet identifier and complete PublishAsync [MQTT-4.3.2-1].</summary>
        CompletePublish,
        /// <summary>Fire RepublishLimitReached on the Connection machine; the message stays held.</summary>
        DeclareLinkDead,
        /// <summary>Release the packet identifier and cancel PublishAsync: it was never sent.</summary>
        Withdraw,
        /// <summary>Cancel PublishAsync's wait only: the message was sent once, so it stays held until PUBACK (I1).</summary>
        DetachCaller,
    }

    /// <summary>One row of the outbound QoS 1 table.</summary>
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
