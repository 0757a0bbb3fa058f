using S = StateMachineMqtt.Spec.PublishState;
using T = StateMachineMqtt.Spec.PublishTrigger;
using G = StateMachineMqtt.Spec.PublishGuard;
using E = StateMachineMqtt.Spec.PublishEffect;

namespace StateMachineMqtt.Spec
{
    /// <summary>
    /// The outbound QoS 1 machine as data, one instance per message. A message once sent is never
    /// dropped by the client: only PUBACK (Acked) or a cancel before its first send (Withdrawn) ends it (I1).
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
                R(S.Queued, T.Transmit, S.AwaitingPubAck, G.None, E.SendPublish, "[MQTT-4.3.2-1] first send: an unused packet identifier, DUP = 0"),
                R(S.Queued, T.PubAck, S.Queued, G.None, E.None, "A stale PUBACK for an identifier reused since: ignore"),
                R(S.Queued, T.LinkLost, S.Queued, G.None, E.None, "Still held, still unsent"),
                R(S.Queued, T.Cancel, S.Withdrawn, G.None, E.Withdraw, "Never sent: the caller may withdraw it"),

                R(S.AwaitingPubAck, T.PubAck, S.Acked, G.None, E.CompletePublish, "[MQTT-4.3.2-1] PUBACK ends the flow"),
                R(S.AwaitingPubAck, T.ResponseTimeout, S.AwaitingPubAck, G.RepublishesLeft, E.SendPublishDup, "[MQTT-3.3.1-1] re-send with DUP = 1 and the same packet identifier [MQTT-2.3.1-3] (as mqtt_as does)"),
                R(S.AwaitingPubAck, T.ResponseTimeout, S.Resend, G.RepublishesExhausted, E.DeclareLinkDead, "The link is not delivering: reconnect, keep the message"),
                R(S.AwaitingPubAck, T.LinkLost, S.Resend, G.None, E.None, "[MQTT-4.4.0-1] re-send on reconnect"),
                R(S.AwaitingPubAck, T.Cancel, S.AwaitingPubAck, G.None, E.DetachCaller, "I1: sent once, so held until PUBACK"),

                R(S.Resend, T.Transmit, S.AwaitingPubAck, G.None, E.SendPublishDup, "[MQTT-4.4.0-1] re-send with the original packet identifier and DUP = 1 [MQTT-3.3.1-1]"),
                R(S.Resend, T.PubAck, S.Acked, G.None, E.CompletePublish, "[MQTT-4.3.2-1] a late PUBACK still ends the flow"),
                R(S.Resend, T.LinkLost, S.Resend, G.None, E.None, "Still held"),
                R(S.Resend, T.Cancel, S.Resend, G.None, E.DetachCaller, "I1: sent once, so held until PUBACK"),
            };
        }

        private static PublishTransition R(S from, T trigger, S to, G guard, E effect, string rule)
        {
            return new PublishTransition(from, trigger, to, guard, effect, rule);
        }
    }
}
