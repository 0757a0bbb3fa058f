using S = StateMachineMqtt.Spec.ReceiptState;
using T = StateMachineMqtt.Spec.ReceiptTrigger;
using G = StateMachineMqtt.Spec.ReceiptGuard;
using E = StateMachineMqtt.Spec.ReceiptEffect;

namespace StateMachineMqtt.Spec
{
    /// <summary>
    /// The inbound QoS 2 machine as data, one flow per received message, from its PUBLISH to its PUBREL. The identifier is
    /// held from the first PUBLISH until PUBREL, so a re-delivery is acknowledged again but never handed to the application
    /// twice (I9, exactly once, method B of [MQTT-4.3.3-2]). PUBREC waits until the application has the message (I10) and
    /// goes only on the link the PUBLISH came on; after a reconnect the broker re-sends the PUBLISH instead [MQTT-4.4.0-1].
    /// </summary>
    public static class ReceiptTable
    {
        /// <summary>The initial state.</summary>
        public const ReceiptState Initial = ReceiptState.Unknown;

        /// <summary>Returns a fresh copy of the rows.</summary>
        public static ReceiptTransition[] CreateRows()
        {
            return new ReceiptTransition[]
            {
                R(S.Unknown, T.Publish, S.Held, G.None, E.Deliver, "[MQTT-4.3.3-2] a new message: hold its identifier until PUBREL and queue it for the application"),
                R(S.Unknown, T.PubRel, S.Unknown, G.None, E.SendPubComp, "[MQTT-4.3.3-2] answer every PUBREL with PUBCOMP, even one whose exchange already ended (our PUBCOMP was lost)"),

                R(S.Held, T.Publish, S.Held, G.Redelivery, E.MoveAcknowledgement, "I9: a re-delivery of a message still queued is not delivered again; its PUBREC goes on the link the broker now listens on"),
                R(S.Held, T.Publish, S.Forgotten, G.NewMessage, E.Supersede, "[MQTT-4.3.3]/[MQTT-3.3.1-1] other content, or a first send after a session in doubt: a new message under a reused identifier (I1), delivered; the one still queued is delivered unacknowledged"),
                R(S.Held, T.Taken, S.AwaitingPubRel, G.OnItsLink, E.SendPubRec, "[MQTT-4.3.3-2] PUBREC once the application has the message (I10)"),
                R(S.Held, T.Taken, S.AwaitingPubRel, G.LinkGone, E.None, "[MQTT-4.4.0-1] no acknowledgement on another link: the broker re-sends the PUBLISH, and that is answered"),
                R(S.Held, T.PubRel, S.Released, G.None, E.Release, "[MQTT-4.3.3-2] answered, though no PUBREC went: the broker has ended the exchange, so the identifier is free; the message, accepted, is still delivered"),
                R(S.Held, T.SessionLost, S.Forgotten, G.None, E.Forget, "Session Present 0 [MQTT-3.2.2-1]/[MQTT-3.2.2-3]: the broker's new session forgot the exchange; the message, accepted, still reaches the application"),

                R(S.AwaitingPubRel, T.Publish, S.AwaitingPubRel, G.Redelivery, E.SendPubRec, "[MQTT-4.3.3-2] a re-delivery after PUBREC went (or was lost): acknowledged again, not delivered again (I9)"),
                R(S.AwaitingPubRel, T.Publish, S.Forgotten, G.NewMessage, E.Supersede, "[MQTT-4.3.3]/[MQTT-3.3.1-1] other content, or a first send after a session in doubt: a new message under a reused identifier (I1), delivered; no PUBREC for the exchange the broker forgot"),
                R(S.AwaitingPubRel, T.PubRel, S.Released, G.None, E.Release, "[MQTT-4.3.3-2] PUBREL ends the exchange: PUBCOMP, and the identifier is free"),
                R(S.AwaitingPubRel, T.SessionLost, S.Forgotten, G.None, E.Forget, "Session Present 0 [MQTT-3.2.2-1]/[MQTT-3.2.2-3]: the broker's new session forgot the exchange: so does the client"),

                R(S.Released, T.Taken, S.Released, G.None, E.None, "Taken after its exchange ended: no PUBREC for an identifier the broker may have given a new message since"),
                R(S.Forgotten, T.Taken, S.Forgotten, G.None, E.None, "Taken after its session ended: there is no exchange to acknowledge"),
            };
        }

        private static ReceiptTransition R(S from, T trigger, S to, G guard, E effect, string rule)
        {
            return new ReceiptTransition(from, trigger, to, guard, effect, rule);
        }
    }
}
