namespace StateMachineMqtt.Spec
{
    /// <summary>
    /// Where a property set appears: each packet type that has one, and the Will properties in CONNECT's payload. Flags, so a
    /// property row can name every place it is allowed.
    /// </summary>
    [System.Flags]
    public enum PropertyContext
    {
        /// <summary>Nowhere.</summary>
        None = 0,
        /// <summary>CONNECT's variable header.</summary>
        Connect = 1 << 0,
        /// <summary>The Will properties in CONNECT's payload.</summary>
        Will = 1 << 1,
        /// <summary>CONNACK.</summary>
        ConnAck = 1 << 2,
        /// <summary>PUBLISH.</summary>
        Publish = 1 << 3,
        /// <summary>PUBACK.</summary>
        PubAck = 1 << 4,
        /// <summary>PUBREC.</summary>
        PubRec = 1 << 5,
        /// <summary>PUBREL.</summary>
        PubRel = 1 << 6,
        /// <summary>PUBCOMP.</summary>
        PubComp = 1 << 7,
        /// <summary>SUBSCRIBE.</summary>
        Subscribe = 1 << 8,
        /// <summary>SUBACK.</summary>
        SubAck = 1 << 9,
        /// <summary>UNSUBSCRIBE.</summary>
        Unsubscribe = 1 << 10,
        /// <summary>UNSUBACK.</summary>
        UnsubAck = 1 << 11,
        /// <summary>DISCONNECT.</summary>
        Disconnect = 1 << 12,
        /// <summary>AUTH.</summary>
        Auth = 1 << 13,
    }
}
