namespace StateMachineMqtt.Spec
{
    /// <summary>The MQTT 5 property identifiers, numbered as on the wire (section 2.2.2.2).</summary>
    public enum PropertyId
    {
        /// <summary>0x01: Payload Format Indicator (0 bytes, 1 UTF-8).</summary>
        PayloadFormatIndicator = 0x01,
        /// <summary>0x02: Message Expiry Interval, seconds.</summary>
        MessageExpiryInterval = 0x02,
        /// <summary>0x03: Content Type.</summary>
        ContentType = 0x03,
        /// <summary>0x08: Response Topic.</summary>
        ResponseTopic = 0x08,
        /// <summary>0x09: Correlation Data.</summary>
        CorrelationData = 0x09,
        /// <summary>0x0B: Subscription Identifier (1 to 268,435,455).</summary>
        SubscriptionIdentifier = 0x0B,
        /// <summary>0x11: Session Expiry Interval, seconds.</summary>
        SessionExpiryInterval = 0x11,
        /// <summary>0x12: Assigned Client Identifier.</summary>
        AssignedClientIdentifier = 0x12,
        /// <summary>0x13: Server Keep Alive, seconds.</summary>
        ServerKeepAlive = 0x13,
        /// <summary>0x15: Authentication Method.</summary>
        AuthenticationMethod = 0x15,
        /// <summary>0x16: Authentication Data.</summary>
        AuthenticationData = 0x16,
        /// <summary>0x17: Request Problem Information (0 or 1).</summary>
        RequestProblemInformation = 0x17,
        /// <summary>0x18: Will Delay Interval, seconds.</summary>
        WillDelayInterval = 0x18,
        /// <summary>0x19: Request Response Information (0 or 1).</summary>
        RequestResponseInformation = 0x19,
        /// <summary>0x1A: Response Information.</summary>
        ResponseInformation = 0x1A,
        /// <summary>0x1C: Server Reference.</summary>
        ServerReference = 0x1C,
        /// <summary>0x1F: Reason String.</summary>
        ReasonString = 0x1F,
        /// <summary>0x21: Receive Maximum (1 to 65,535).</summary>
        ReceiveMaximum = 0x21,
        /// <summary>0x22: Topic Alias Maximum.</summary>
        TopicAliasMaximum = 0x22,
        /// <summary>0x23: Topic Alias (1 or more).</summary>
        TopicAlias = 0x23,
        /// <summary>0x24: Maximum QoS (0 or 1; absent means 2).</summary>
        MaximumQoS = 0x24,
        /// <summary>0x25: Retain Available (0 or 1).</summary>
        RetainAvailable = 0x25,
        /// <summary>0x26: User Property, a name and a value; may repeat.</summary>
        UserProperty = 0x26,
        /// <summary>0x27: Maximum Packet Size (1 or more).</summary>
        MaximumPacketSize = 0x27,
        /// <summary>0x28: Wildcard Subscription Available (0 or 1).</summary>
        WildcardSubscriptionAvailable = 0x28,
        /// <summary>0x29: Subscription Identifier Available (0 or 1).</summary>
        SubscriptionIdentifierAvailable = 0x29,
        /// <summary>0x2A: Shared Subscription Available (0 or 1).</summary>
        SharedSubscriptionAvailable = 0x2A,
    }
}
