using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Engine
{
    /// <summary>
    /// One thing the driver must do, from <see cref="SessionEngine.PollAction"/>. A plain carrier: a struct, so polling
    /// allocates nothing on the device. Only the fields its <see cref="Kind"/> and <see cref="Packet"/> name are set.
    /// </summary>
    public struct EngineAction
    {
        /// <summary>Open, send or close.</summary>
        public ActionKind Kind;

        /// <summary>The link this is for: the driver reports results for it with this number, so stale ones are ignored.</summary>
        public int Link;

        /// <summary>The packet to send (Send only).</summary>
        public PacketKind Packet;

        /// <summary>PUBACK, PUBREC, PUBREL, PUBCOMP: the packet identifier. Authenticate*: the question's number, to give back with the answer.</summary>
        public int PacketId;
        /// <summary>AUTH and DISCONNECT (MQTT 5): the reason code to send. AuthenticateStart: 0x19 for a re-authentication, else 0.</summary>
        public int ReasonCode;

        /// <summary>PUBLISH: the message (topic, payload, QoS, retain, packet identifier).</summary>
        public OutboundMessage Message;

        /// <summary>PUBLISH: the DUP flag [MQTT-3.3.1-1] (I4: set on every re-send, never on the first).</summary>
        public bool Dup;

        /// <summary>
        /// PUBLISH and PUBREL: true when this packet was sent before for the same message (a re-send after a timeout, a
        /// repeated PUBREC or a reconnect). For a PUBLISH it equals <see cref="Dup"/>; PUBREL has no DUP flag on the wire,
        /// so this is the driver's only way to tell (it logs re-sends).
        /// </summary>
        public bool Resend;

        /// <summary>SUBSCRIBE / UNSUBSCRIBE: the request (filters, QoS, packet identifier).</summary>
        public SubscriptionRequest Request;

        /// <summary>CONNECT: the Clean Session flag this connect asks for.</summary>
        public bool CleanSession;

        /// <summary>
        /// CONNECT: the user name the driver fetched for this link (<see cref="SessionEngine.HandleCredentials"/>), or null
        /// when it gave none for this link (the driver then sends its own settings).
        /// </summary>
        public string UserName;

        /// <summary>CONNECT: the password the driver fetched for this link, or null. Never logged: the driver must keep it out of every message.</summary>
        public byte[] Password;

        /// <summary>CONNECT: true when credentials were handed over for this link, so <see cref="UserName"/> and <see cref="Password"/> are what to send, null meaning none.</summary>
        public bool CredentialsGiven;
        /// <summary>OpenLink: which configured server to dial (0 for the first; always 0 with one server).</summary>
        public int Server;

        /// <summary>
        /// OpenLink: an MQTT 5 Server Reference to dial in place of <see cref="Server"/> (host, or host:port, as the broker
        /// wrote it), or null to dial the listed server. Only set when <see cref="EngineOptions.FollowServerReference"/> is on.
        /// </summary>
        public string ServerReference;

        /// <summary>True when the driver must call <see cref="SessionEngine.HandleWritten"/> with this action once it is written.</summary>
        public bool NotifyWritten;
    }
}
