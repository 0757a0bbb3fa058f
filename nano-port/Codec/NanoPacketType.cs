namespace StateMachineMqtt.Nano.Codec
{
    /// <summary>MQTT 3.1.1 control packet types [MQTT-2.2.1] the device codec handles: all fourteen.</summary>
    public enum NanoPacketType
    {
        /// <summary>No packet decoded yet.</summary>
        None = 0,
        /// <summary>CONNECT.</summary>
        Connect = 1,
        /// <summary>CONNACK.</summary>
        ConnAck = 2,
        /// <summary>PUBLISH.</summary>
        Publish = 3,
        /// <summary>PUBACK.</summary>
        PubAck = 4,
        /// <summary>PUBREC (QoS 2, part 1).</summary>
        PubRec = 5,
        /// <summary>PUBREL (QoS 2, part 2).</summary>
        PubRel = 6,
        /// <summary>PUBCOMP (QoS 2, part 3).</summary>
        PubComp = 7,
        /// <summary>SUBSCRIBE.</summary>
        Subscribe = 8,
        /// <summary>SUBACK.</summary>
        SubAck = 9,
        /// <summary>UNSUBSCRIBE.</summary>
        Unsubscribe = 10,
        /// <summary>UNSUBACK.</summary>
        UnsubAck = 11,
        /// <summary>PINGREQ.</summary>
        PingReq = 12,
        /// <summary>PINGRESP.</summary>
        PingResp = 13,
        /// <summary>DISCONNECT.</summary>
        Disconnect = 14,
        /// <summary>AUTH (MQTT 5 only; the device never starts enhanced authentication, so one from the broker closes the link).</summary>
        Auth = 15,
    }
}
