namespace StateMachineMqtt.Nano.Codec
{
    /// <summary>
    /// An MQTT 5 property set, as the device sends and reads it. On a PUBLISH, both ways, the message's properties: payload
    /// format, expiry, content type, response topic, correlation data, user properties (and, received only, the
    /// subscription identifiers of the subscriptions it matched). On CONNACK, the acknowledgements and DISCONNECT, what the
    /// broker said. Which properties a packet may carry is spec/'s PropertyTable: the writer refuses any other with
    /// ArgumentException, the reader with NanoProtocolException. An absent property is null, or -1 for the numbers (0 for
    /// <see cref="TopicAlias"/>, whose 0 is not allowed). The reader checks and then drops the properties the device has no
    /// use for (authentication, the broker's "available" flags, Maximum QoS).
    /// </summary>
    public sealed class NanoProperties
    {
        /// <summary>Payload Format Indicator: 1 when the payload is UTF-8 text, 0 unspecified bytes; -1 absent.</summary>
        public int PayloadFormatIndicator { get; set; } = -1;

        /// <summary>Message Expiry Interval in seconds (0 to 4,294,967,295); -1 absent: the message does not expire.</summary>
        public long MessageExpiryInterval { get; set; } = -1;

        /// <summary>Content Type (a MIME type, by convention), or null.</summary>
        public string ContentType { get; set; }

        /// <summary>Response Topic: where a responder should publish its answer (a topic name, no wildcards), or null.</summary>
        public string ResponseTopic { get; set; }

        /// <summary>Correlation Data, for the requester to match a response to its request, or null.</summary>
        public byte[] CorrelationData { get; set; }

        /// <summary>Received PUBLISH: the Subscription Identifiers of the subscriptions it matched, or null. A client never sends them.</summary>
        public int[] SubscriptionIdentifiers { get; set; }

        /// <summary>User Properties in order, or null.</summary>
        public NanoUserProperty[] UserProperties { get; set; }

        /// <summary>PUBLISH: its Topic Alias (1 to 65,535), 0 absent. The client sets and resolves aliases itself.</summary>
        public int TopicAlias { get; set; }

        /// <summary>CONNECT, CONNACK, DISCONNECT: Session Expiry Interval in seconds; -1 absent.</summary>
        public long SessionExpiryInterval { get; set; } = -1;

        /// <summary>CONNECT, CONNACK: Receive Maximum (1 to 65,535); -1 absent.</summary>
        public int ReceiveMaximum { get; set; } = -1;

        /// <summary>CONNECT, CONNACK: Maximum Packet Size in bytes (1 or more); -1 absent.</summary>
        public long MaximumPacketSize { get; set; } = -1;

        /// <summary>CONNECT, CONNACK: Topic Alias Maximum (0 to 65,535); -1 absent.</summary>
        public int TopicAliasMaximum { get; set; } = -1;

        /// <summary>CONNACK: Assigned Client Identifier, or null.</summary>
        public string AssignedClientIdentifier { get; set; }

        /// <summary>CONNACK: Server Keep Alive in seconds, which replaces the client's; -1 absent.</summary>
        public int ServerKeepAlive { get; set; } = -1;

        /// <summary>CONNECT: Request Problem Information, 0 asking the broker to leave Reason Strings and User Properties off its answers; -1 absent (which means 1).</summary>
        public int RequestProblemInformation { get; set; } = -1;

        /// <summary>A will (CONNECT's will properties): Will Delay Interval, the seconds the broker waits after the link is lost before it publishes the will; -1 absent (at once).</summary>
        public long WillDelayInterval { get; set; } = -1;

        /// <summary>CONNECT: Request Response Information, 1 asking the broker for Response Information in its CONNACK; -1 absent (which means 0).</summary>
        public int RequestResponseInformation { get; set; } = -1;

        /// <summary>CONNACK: Response Information, the broker's basis for response topics (given only when asked for), or null.</summary>
        public string ResponseInformation { get; set; }

        /// <summary>CONNACK, the acknowledgements, DISCONNECT: Reason String (for people, not to be parsed), or null.</summary>
        public string ReasonString { get; set; }

        /// <summary>CONNACK, DISCONNECT: Server Reference (another server to use), or null.</summary>
        public string ServerReference { get; set; }

        /// <summary>Appends a User Property (the array grows by one: a device sends few).</summary>
        public void AddUserProperty(string name, string value)
        {
            NanoUserProperty[] old = UserProperties;
            int count = old == null ? 0 : old.Length;
            NanoUserProperty[] grown = new NanoUserProperty[count + 1];
            for (int i = 0; i < count; i++)
            {
                grown[i] = old[i];
            }

            grown[count] = new NanoUserProperty(name, value);
            UserProperties = grown;
        }

        internal void AddSubscriptionIdentifier(int identifier)
        {
            int[] old = SubscriptionIdentifiers;
            int count = old == null ? 0 : old.Length;
            int[] grown = new int[count + 1];
            for (int i = 0; i < count; i++)
            {
                grown[i] = old[i];
            }

            grown[count] = identifier;
            SubscriptionIdentifiers = grown;
        }
    }
}
