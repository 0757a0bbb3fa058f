namespace StateMachineMqtt.Engine
{
    /// <summary>
    /// What an MQTT 5 CONNACK's properties set for the session (<see cref="SessionEngine.HandleConnAck(int, bool, int, ConnAckTerms, long)"/>);
    /// a fresh one is a 3.1.1 CONNACK's: no terms.
    /// </summary>
    public sealed class ConnAckTerms
    {
        /// <summary>Receive Maximum: how many QoS 1 and 2 PUBLISHes may await an answer at once; 0 when absent (65,535).</summary>
        public int ReceiveMaximum;

        /// <summary>Server Keep Alive in seconds, which replaces the client's; -1 when absent.</summary>
        public int ServerKeepAliveSeconds = -1;

        /// <summary>Maximum Packet Size: the largest packet the broker takes; 0 when absent (no limit but MQTT's).</summary>
        public long MaximumPacketSize;

        /// <summary>Assigned Client Identifier, when the client sent an empty one; null when absent.</summary>
        public string AssignedClientIdentifier;

        /// <summary>Response Information, the basis for response topics the broker offers when asked (Request Response Information); null when absent.</summary>
        public string ResponseInformation;

        /// <summary>Authentication Method, which must be the CONNECT's [MQTT-4.12.0-5], and absent when it named none [MQTT-4.12.0-6]; null when absent.</summary>
        public string AuthenticationMethod;

        /// <summary>Server Reference [MQTT-4.11]: with a refusal (0x9C Use another server, 0x9D Server moved), where to go instead; null when absent.</summary>
        public string ServerReference;
    }
}
