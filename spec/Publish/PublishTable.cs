using S = StateMachineMqtt.Spec.PublishState;
using T = StateMachineMqtt.Spec.PublishTrigger;
using G = StateMachineMqtt.Spec.PublishGuard;
using E = StateMachineMqtt.Spec.PublishEffect;

namespace StateMachineMqtt.Spec
{
    /// <summary>
    /// The outbound QoS 1 and QoS 2 machine as data, one instance per message; the first send forks by QoS. A message once
    /// sent is never dropped by the client: only PUBACK or PUBCOMP (Acked), an MQTT 5 refusal in PUBACK or PUBREC (Refused,
    /// which fails the call with the broker's reason code), a broker whose Maximum Packet Size it exceeds (Oversized, which
    /// fails the call), or a cancel before its first send (Withdrawn) ends it (I1).
    /// A QoS 2 message's PUBLISH is re-sent (with DUP) only until PUBREC; from then on only its PUBREL is,
    /// so the broker never sees it as new twice [MQTT-4.3.3-1]. Where the versions differ, a guard names one: MQTT 3.1.1
    /// re-sends on the same link after the response time, MQTT 5 only on a new connection [MQTT-4.4.0-1].
    /// </summary>
    public static class PublishTable
    {
        /// <summary>The initial state.</summary>
        public const PublishState Initial = PublishState.Queued;

        /// <summary>Returns a fresh copy of the rows.</summary>
        public static PublishTransition[] CreateRows()
        {
            return new PublishTransition[]
            {
                R(S.Queued, T.Transmit, S.AwaitingPubAck, G.AtLeastOnce, E.SendPublish, "[MQTT-4.3.2-1] first send: an unused packet identifier, DUP = 0"),
                R(S.Queued, T.Transmit, S.AwaitingPubRec, G.ExactlyOnce, E.SendPublish, "[MQTT-4.3.3-1] first send: an unused packet identifier, DUP = 0"),
                R(S.Queued, T.PubAck, S.Queued, G.None, E.None, "A stale PUBACK for an identifier reused since: ignore"),
                R(S.Queued, T.LinkLost, S.Queued, G.None, E.None, "Still held, still unsent"),
                R(S.Queued, T.Cancel, S.Withdrawn, G.None, E.Withdraw, "Never sent: the caller may withdraw it"),
                R(S.Queued, T.TooLarge, S.Oversized, G.None, E.FailTooLarge, "[MQTT-3.2.2-15] larger than the broker's Maximum Packet Size: never sent, and the call fails saying so, so it is not lost silently"),

                R(S.AwaitingPubAck, T.PubAck, S.Acked, G.None, E.CompletePublish, "[MQTT-4.3.2-1] PUBACK ends the flow"),
                R(S.AwaitingPubAck, T.ResponseTimeout, S.AwaitingPubAck, G.V311ResendsLeft, E.SendPublishDup, "[MQTT-3.3.1-1] re-send with DUP = 1 and the same packet identifier [MQTT-2.3.1-3] (as mqtt_as does)"),
                R(S.AwaitingPubAck, T.ResponseTimeout, S.AwaitingPubAck, G.V5WaitsLeft, E.AwaitAgain, "[MQTT-4.4.0-1] MQTT 5 re-sends only on a new connection: wait again"),
                R(S.AwaitingPubAck, T.ResponseTimeout, S.Resend, G.RetriesExhausted, E.DeclareLinkDead, "The link is not delivering: reconnect, keep the message"),
                R(S.AwaitingPubAck, T.LinkLost, S.Resend, G.None, E.None, "[MQTT-4.4.0-1] re-send on reconnect"),
                R(S.AwaitingPubAck, T.Cancel, S.AwaitingPubAck, G.None, E.DetachCaller, "I1: sent once, so held until PUBACK"),
                R(S.AwaitingPubAck, T.PubRec, S.AwaitingPubAck, G.None, E.None, "PUBREC answers QoS 2, not this flow: ignore"),
                R(S.AwaitingPubAck, T.PubComp, S.AwaitingPubAck, G.None, E.None, "PUBCOMP answers QoS 2, not this flow: ignore"),
                R(S.AwaitingPubAck, T.PubAckRefused, S.Refused, G.None, E.FailPublish, "[MQTT-4.3.2-1] PUBACK ends the flow even when it refuses (reason code 0x80 and up): fail the call with the code, never succeed"),
                R(S.AwaitingPubAck, T.PubRecRefused, S.AwaitingPubAck, G.None, E.None, "PUBREC answers QoS 2, not this flow: ignore"),

                R(S.Resend, T.Transmit, S.AwaitingPubAck, G.None, E.SendPublishDup, "[MQTT-4.4.0-1] re-send with the original packet identifier and DUP = 1 [MQTT-3.3.1-1]"),
                R(S.Resend, T.PubAck, S.Acked, G.None, E.CompletePublish, "[MQTT-4.3.2-1] a late PUBACK still ends the flow"),
                R(S.Resend, T.LinkLost, S.Resend, G.None, E.None, "Still held"),
                R(S.Resend, T.Cancel, S.Resend, G.None, E.DetachCaller, "I1: sent once, so held until PUBACK"),
                R(S.Resend, T.PubRec, S.Resend, G.None, E.None, "PUBREC answers QoS 2, not this flow: ignore"),
                R(S.Resend, T.PubComp, S.Resend, G.None, E.None, "PUBCOMP answers QoS 2, not this flow: ignore"),
                R(S.Resend, T.PubAckRefused, S.Refused, G.None, E.FailPublish, "[MQTT-4.3.2-1] a late refusing PUBACK still ends the flow, as a failure"),
                R(S.Resend, T.PubRecRefused, S.Resend, G.None, E.None, "PUBREC answers QoS 2, not this flow: ignore"),
                R(S.Resend, T.TooLarge, S.Oversized, G.None, E.FailTooLarge, "[MQTT-3.2.2-15] this link's broker takes smaller packets than the one it was sent to: it cannot be re-sent, so the call fails saying so"),

                R(S.AwaitingPubRec, T.PubRec, S.AwaitingPubComp, G.None, E.SendPubRel, "[MQTT-4.3.3-1] PUBREC: the broker has it; answer PUBREL, and never send the PUBLISH again"),
                R(S.AwaitingPubRec, T.ResponseTimeout, S.AwaitingPubRec, G.V311ResendsLeft, E.SendPublishDup, "[MQTT-3.3.1-1] re-send with DUP = 1 and the same packet identifier: the broker keeps that identifier until PUBREL, so it is not a new message"),
                R(S.AwaitingPubRec, T.ResponseTimeout, S.AwaitingPubRec, G.V5WaitsLeft, E.AwaitAgain, "[MQTT-4.4.0-1] MQTT 5 re-sends only on a new connection: wait again"),
                R(S.AwaitingPubRec, T.ResponseTimeout, S.ResendQos2, G.RetriesExhausted, E.DeclareLinkDead, "The link is not delivering: reconnect, keep the message"),
                R(S.AwaitingPubRec, T.LinkLost, S.ResendQos2, G.None, E.None, "[MQTT-4.4.0-1] re-send the PUBLISH on reconnect"),
                R(S.AwaitingPubRec, T.Cancel, S.AwaitingPubRec, G.None, E.DetachCaller, "I1: sent once, so held until PUBCOMP"),
                R(S.AwaitingPubRec, T.PubAck, S.AwaitingPubRec, G.None, E.None, "PUBACK answers QoS 1, not this flow: ignore"),
                R(S.AwaitingPubRec, T.PubComp, S.AwaitingPubRec, G.None, E.None, "PUBCOMP before our PUBREL answers nothing: ignore"),
                R(S.AwaitingPubRec, T.PubRecRefused, S.Refused, G.None, E.FailPublish, "[MQTT-4.3.3-1] a refusing PUBREC (0x80 and up) ends the flow: no PUBREL; fail the call with the code"),
                R(S.AwaitingPubRec, T.PubAckRefused, S.AwaitingPubRec, G.None, E.None, "PUBACK answers QoS 1, not this flow: ignore"),

                R(S.ResendQos2, T.Transmit, S.AwaitingPubRec, G.None, E.SendPublishDup, "[MQTT-4.4.0-1] re-send with the original packet identifier and DUP = 1 [MQTT-3.3.1-1]"),
                R(S.ResendQos2, T.PubRec, S.AwaitingPubComp, G.None, E.SendPubRel, "[MQTT-4.3.3-1] a late PUBREC still moves the flow on"),
                R(S.ResendQos2, T.LinkLost, S.ResendQos2, G.None, E.None, "Still held"),
                R(S.ResendQos2, T.Cancel, S.ResendQos2, G.None, E.DetachCaller, "I1: sent once, so held until PUBCOMP"),
                R(S.ResendQos2, T.PubAck, S.ResendQos2, G.None, E.None, "PUBACK answers QoS 1, not this flow: ignore"),
                R(S.ResendQos2, T.PubComp, S.ResendQos2, G.None, E.None, "PUBCOMP before our PUBREL answers nothing: ignore"),
                R(S.ResendQos2, T.PubRecRefused, S.Refused, G.None, E.FailPublish, "[MQTT-4.3.3-1] a late refusing PUBREC still ends the flow, as a failure"),
                R(S.ResendQos2, T.PubAckRefused, S.ResendQos2, G.None, E.None, "PUBACK answers QoS 1, not this flow: ignore"),
                R(S.ResendQos2, T.TooLarge, S.Oversized, G.None, E.FailTooLarge, "[MQTT-3.2.2-15] this link's broker takes smaller packets than the one it was sent to: it cannot be re-sent, so the call fails saying so"),

                R(S.AwaitingPubComp, T.PubComp, S.Acked, G.None, E.CompletePublish, "[MQTT-4.3.3-1] PUBCOMP ends the flow"),
                R(S.AwaitingPubComp, T.PubRec, S.AwaitingPubComp, G.V311, E.SendPubRel, "[MQTT-4.3.3-1] a repeated PUBREC (the answer to a DUP re-send) is answered with PUBREL again"),
                R(S.AwaitingPubComp, T.PubRec, S.AwaitingPubComp, G.V5, E.None, "[MQTT-4.4.0-1] MQTT 5 re-sends nothing on the same link, so a repeated PUBREC answers nothing new; the PUBREL already went on this link"),
                R(S.AwaitingPubComp, T.ResponseTimeout, S.AwaitingPubComp, G.V311ResendsLeft, E.SendPubRel, "Re-send PUBREL, the same packet identifier; never the PUBLISH [MQTT-4.3.3-1]"),
                R(S.AwaitingPubComp, T.ResponseTimeout, S.AwaitingPubComp, G.V5WaitsLeft, E.AwaitAgain, "[MQTT-4.4.0-1] MQTT 5 re-sends PUBREL only on a new connection: wait again"),
                R(S.AwaitingPubComp, T.ResponseTimeout, S.ResendPubRel, G.RetriesExhausted, E.DeclareLinkDead, "The link is not delivering: reconnect, keep the message"),
                R(S.AwaitingPubComp, T.LinkLost, S.ResendPubRel, G.None, E.None, "[MQTT-4.4.0-1] re-send PUBREL on reconnect"),
                R(S.AwaitingPubComp, T.Cancel, S.AwaitingPubComp, G.None, E.DetachCaller, "I1: held until PUBCOMP"),
                R(S.AwaitingPubComp, T.PubAck, S.AwaitingPubComp, G.None, E.None, "PUBACK answers QoS 1, not this flow: ignore"),
                R(S.AwaitingPubComp, T.PubAckRefused, S.AwaitingPubComp, G.None, E.None, "PUBACK answers QoS 1, not this flow: ignore"),
                R(S.AwaitingPubComp, T.PubRecRefused, S.AwaitingPubComp, G.None, E.None, "The broker accepted this message with its first PUBREC; a refusing one now answers nothing: ignore"),

                R(S.ResendPubRel, T.Transmit, S.AwaitingPubComp, G.None, E.SendPubRel, "[MQTT-4.4.0-1] re-send PUBREL, not the PUBLISH, with the same packet identifier"),
                R(S.ResendPubRel, T.PubComp, S.Acked, G.None, E.CompletePublish, "[MQTT-4.3.3-1] a late PUBCOMP still ends the flow"),
                R(S.ResendPubRel, T.LinkLost, S.ResendPubRel, G.None, E.None, "Still held"),
                R(S.ResendPubRel, T.Cancel, S.ResendPubRel, G.None, E.DetachCaller, "I1: held until PUBCOMP"),
                R(S.ResendPubRel, T.PubRec, S.ResendPubRel, G.None, E.None, "PUBREL goes out on the next Transmit: nothing more now"),
                R(S.ResendPubRel, T.PubAck, S.ResendPubRel, G.None, E.None, "PUBACK answers QoS 1, not this flow: ignore"),
                R(S.ResendPubRel, T.PubAckRefused, S.ResendPubRel, G.None, E.None, "PUBACK answers QoS 1, not this flow: ignore"),
                R(S.ResendPubRel, T.PubRecRefused, S.ResendPubRel, G.None, E.None, "The broker accepted this message with its first PUBREC; a refusing one now answers nothing: ignore"),
            };
        }

        private static PublishTransition R(S from, T trigger, S to, G guard, E effect, string rule)
        {
            return new PublishTransition(from, trigger, to, guard, effect, rule);
        }
    }
}
