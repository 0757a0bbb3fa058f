namespace StateMachineMqtt.Spec
{
    /// <summary>The MQTT control packet types, numbered as on the wire (fixed header bits 7-4, section 2.2.1).</summary>
    public enum PacketKind
    {
        /// <summary>No packet (type 0 is reserved on the wire).</summary>
        None = 0,
        /// <summary>Client request to connect to the server.</summary>
        Connect = 1,
        /// <summary>Connect acknowledgment.</summary>
        ConnAck = 2,
        /// <summary>Publish message.</summary>
        Publish = 3,
        /// <summary>Publish acknowledgment (QoS 1).</summary>
        PubAck = 4,
        /// <summary>Publish received (QoS 2, part 1).</summary>
        PubRec = 5,
        /// <summary>Publish release (QoS 2, part 2).</summary>
        PubRel = 6,
        /// <summary>Publish complete (QoS 2, part 3).</summary>
        PubComp = 7,
        /// <summary>Client subscribe request.</summary>
        Subscribe = 8,
        /// <summary>Subscribe acknowledgment.</summary>
        SubAck = 9,
        /// <summary>Unsubscribe request.</summary>
        Unsubscribe = 10,
        /// <summary>Unsubscribe acknowledgment.</summary>
        UnsubAck = 11,
        /// <summary>PING request.</summary>
        PingReq = 12,
        /// <summary>PING response.</summary>
        PingResp = 13,
        /// <summary>Client is disconnecting.</summary>
        Disconnect = 14,

        /// <summary>AUTH (MQTT 5 only): enhanced authentication [MQTT-3.15].</summary>
        Auth = 15,
    }
}
