namespace StateMachineMqtt.Spec
{
    /// <summary>One row of the inbound dispatch table: in this connection state, this packet means this action.</summary>
    public sealed class InboundDispatchRow
    {
        /// <summary>Creates a row.</summary>
        public InboundDispatchRow(ConnectionState state, PacketKind packet, InboundAction action, string rule)
            : this(state, packet, action, false, rule)
        {
        }

        /// <summary>Creates a row that, when <paramref name="mqtt5Only"/>, applies to MQTT 5 links only.</summary>
        public InboundDispatchRow(ConnectionState state, PacketKind packet, InboundAction action, bool mqtt5Only, string rule)
        {
            State = state;
            Packet = packet;
            Action = action;
            Mqtt5Only = mqtt5Only;
            Rule = rule;
        }

        /// <summary>The Connection state the packet arrives in.</summary>
        public ConnectionState State { get; }
        /// <summary>The packet's type.</summary>
        public PacketKind Packet { get; }
        /// <summary>True when the row holds for MQTT 5 only; a 3.1.1 link falls through to the default.</summary>
        public bool Mqtt5Only { get; }
        /// <summary>What it means there.</summary>
        public InboundAction Action { get; }
        /// <summary>Why, with the MQTT normative statement it implements.</summary>
        public string Rule { get; }
    }
}
