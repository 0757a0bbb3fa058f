namespace StateMachineMqtt.Spec
{
    /// <summary>States of the KeepAlive machine (one per client, active while a link is up).</summary>
    public enum KeepAliveState
    {
        /// <summary>No link: nothing to watch.</summary>
        Inactive,
        /// <summary>Link up; no PINGREQ is waiting for an answer.</summary>
        Idle,
        /// <summary>PINGREQ sent; waiting for any packet from the broker.</summary>
        PingOutstanding,
    }

    /// <summary>Events of the KeepAlive machine.</summary>
    public enum KeepAliveTrigger
    {
        /// <summary>CONNACK accepted a new link.</summary>
        LinkUp,
        /// <summary>The link closed.</summary>
        LinkDown,
        /// <summary>Anything arrived from the broker: a packet (PINGRESP or otherwise), or part of one still coming. The link is alive.</summary>
        PacketReceived,
        /// <summary>The keepalive timer fired at the next deadline (ping due or silence limit).</summary>
        Tick,
    }

    /// <summary>Conditions on KeepAlive rows. For a Tick exactly one of the three silence guards holds.</summary>
    public enum KeepAliveGuard
    {
        /// <summary>Always true.</summary>
        None,
        /// <summary>Within the last ping interval something (any packet, PINGREQ included) was sent, and something was received or a PINGREQ sent.</summary>
        WithinPingInterval,
        /// <summary>Nothing sent for a ping interval [MQTT-3.1.2-23], or nothing received for one since the last PINGREQ; but something was received within the keepalive period.</summary>
        PingIntervalElapsed,
        /// <summary>Nothing at all received for a whole keepalive period (I5).</summary>
        KeepAliveElapsed,
    }

    /// <summary>Actions of KeepAlive rows.</summary>
    public enum KeepAliveEffect
    {
        /// <summary>Nothing.</summary>
        None,
        /// <summary>Note the time and arm the timer for the next deadline.</summary>
        ArmTimer,
        /// <summary>Queue PINGREQ [MQTT-3.1.2-23] and arm the timer.</summary>
        SendPingReq,
        /// <summary>Stop the timer.</summary>
        DisarmTimer,
        /// <summary>Stop the timer and fire KeepAliveExpired on the Connection machine.</summary>
        DeclareLinkDead,
    }

    /// <summary>One row of the KeepAlive table.</summary>
    public sealed class KeepAliveTransition
    {
        /// <summary>Creates a row.</summary>
        public KeepAliveTransition(KeepAliveState from, KeepAliveTrigger trigger, KeepAliveState to, KeepAliveGuard guard, KeepAliveEffect effect, string rule)
        {
            From = from;
            Trigger = trigger;
            To = to;
            Guard = guard;
            Effect = effect;
            Rule = rule;
        }

        /// <summary>The state the row applies in.</summary>
        public KeepAliveState From { get; }
        /// <summary>The event the row handles.</summary>
        public KeepAliveTrigger Trigger { get; }
        /// <summary>The state after the row.</summary>
        public KeepAliveState To { get; }
        /// <summary>The condition under which the row applies.</summary>
        public KeepAliveGuard Guard { get; }
        /// <summary>The action taken.</summary>
        public KeepAliveEffect Effect { get; }
        /// <summary>The normative statement or design reason the row implements.</summary>
        public string Rule { get; }
    }
}
