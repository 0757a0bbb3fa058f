namespace StateMachineMqtt.Spec
{
    /// <summary>One row of the Connection table: in state From, on Trigger, when Guard holds, go to To and do Effect.</summary>
    public sealed class ConnectionTransition
    {
        /// <summary>Creates a row.</summary>
        public ConnectionTransition(ConnectionState from, ConnectionTrigger trigger, ConnectionState to, ConnectionGuard guard, ConnectionEffect effect, string rule)
        {
            From = from;
            Trigger = trigger;
            To = to;
            Guard = guard;
            Effect = effect;
            Rule = rule;
        }

        /// <summary>The state the row applies in.</summary>
        public ConnectionState From { get; }
        /// <summary>The event the row handles.</summary>
        public ConnectionTrigger Trigger { get; }
        /// <summary>The state after the row.</summary>
        public ConnectionState To { get; }
        /// <summary>The condition under which the row applies.</summary>
        public ConnectionGuard Guard { get; }
        /// <summary>The action taken.</summary>
        public ConnectionEffect Effect { get; }
        /// <summary>The normative statement or design reason the row implements.</summary>
        public string Rule { get; }
    }
}
