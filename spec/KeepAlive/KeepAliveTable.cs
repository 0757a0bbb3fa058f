using S = StateMachineMqtt.Spec.KeepAliveState;
using T = StateMachineMqtt.Spec.KeepAliveTrigger;
using G = StateMachineMqtt.Spec.KeepAliveGuard;
using E = StateMachineMqtt.Spec.KeepAliveEffect;

namespace StateMachineMqtt.Spec
{
    /// <summary>
    /// The KeepAlive machine as data. The client pings whenever nothing has been received, or nothing sent
    /// [MQTT-3.1.2-23], for a ping interval (keepalive / 4 by default) and declares the link dead when nothing at all has been
    /// received for a whole keepalive period (I5) — so a busy publisher on a half-open link is told too.
    /// </summary>
    public static class KeepAliveTable
    {
        /// <summary>The initial state.</summary>
        public const KeepAliveState Initial = KeepAliveState.Inactive;

        /// <summary>Returns a fresh copy of the rows.</summary>
        public static KeepAliveTransition[] CreateRows()
        {
            return new KeepAliveTransition[]
            {
                R(S.Inactive, T.LinkUp, S.Idle, G.None, E.ArmTimer, "Start watching a new link"),
                R(S.Inactive, T.LinkDown, S.Inactive, G.None, E.None, "Nothing to stop"),
                R(S.Inactive, T.PacketReceived, S.Inactive, G.None, E.None, "Not watching"),
                R(S.Inactive, T.Tick, S.Inactive, G.None, E.None, "A timer that fired as it was stopped"),

                R(S.Idle, T.LinkUp, S.Idle, G.None, E.ArmTimer, "A new link replaces the old"),
                R(S.Idle, T.LinkDown, S.Inactive, G.None, E.DisarmTimer, "Stop watching"),
                R(S.Idle, T.PacketReceived, S.Idle, G.None, E.ArmTimer, "The link is alive"),
                R(S.Idle, T.Tick, S.Idle, G.WithinPingInterval, E.ArmTimer, "Not due yet"),
                R(S.Idle, T.Tick, S.PingOutstanding, G.PingIntervalElapsed, E.SendPingReq, "[MQTT-3.1.2-23] ping when quiet"),
                R(S.Idle, T.Tick, S.Inactive, G.KeepAliveElapsed, E.DeclareLinkDead, "I5: silent for a keepalive period; the client SHOULD close the link (section 3.1.2.10)"),

                R(S.PingOutstanding, T.LinkUp, S.Idle, G.None, E.ArmTimer, "A new link replaces the old"),
                R(S.PingOutstanding, T.LinkDown, S.Inactive, G.None, E.DisarmTimer, "Stop watching"),
                R(S.PingOutstanding, T.PacketReceived, S.Idle, G.None, E.ArmTimer, "PINGRESP or any packet proves the link"),
                R(S.PingOutstanding, T.Tick, S.PingOutstanding, G.WithinPingInterval, E.ArmTimer, "Not due yet"),
                R(S.PingOutstanding, T.Tick, S.PingOutstanding, G.PingIntervalElapsed, E.SendPingReq, "Ping again: the last PINGREQ or PINGRESP may have been lost"),
                R(S.PingOutstanding, T.Tick, S.Inactive, G.KeepAliveElapsed, E.DeclareLinkDead, "I5: silent for a keepalive period; the client SHOULD close the link (section 3.1.2.10)"),
            };
        }

        private static KeepAliveTransition R(S from, T trigger, S to, G guard, E effect, string rule)
        {
            return new KeepAliveTransition(from, trigger, to, guard, effect, rule);
        }
    }
}
