namespace StateMachineMqtt.Spec
{
    /// <summary>One row of the inbound dispatch table: in this connection state, this packet means this action.</summary>
    public sealed class InboundDispatchRow
    {
        /// <summary>Creates a row.</summary>
        public InboundDispatchRow(ConnectionState state, PacketKind packet, InboundAction action, string rule)
        {
            State = state;
            Packet = packet;
            Action = action;
            Rule = rule;
        }

        /// <summary>The Connection state the packet arrives in.</summary>
        public ConnectionState State { get; }
        /// <summary>The packet's type.</summary>
        public PacketKind Packet { get; }
        /// <summary>What it means there.</summary>
        public InboundAction Action { get; }
        /// <summary>Why, with the MQTT normative statement it implements.</summary>
        public string Rule { get; }
    }
}
