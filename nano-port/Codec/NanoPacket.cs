namespace StateMachineMqtt.Nano.Codec
{
    /// <summary>
    /// One decoded packet. The reader fills the fields its Type uses and leaves the rest as they were; the client reuses
    /// one instance, so a PINGRESP or PUBACK costs no allocation.
    /// </summary>
    public sealed class NanoPacket
    {
        /// <summary>The packet type.</summary>
        public NanoPacketType Type { get; set; }

        /// <summary>PUBLISH: DUP flag.</summary>
        public bool Dup { get; set; }

        /// <summary>PUBLISH: QoS (0-2).</summary>
        public int Qos { get; set; }

        /// <summary>PUBLISH: retain flag.</summary>
        public bool Retain { get; set; }

        /// <summary>Packet identifier (0 when the packet has none).</summary>
        public int PacketId { get; set; }

        /// <summary>PUBLISH: topic name.</summary>
        public string Topic { get; set; }

        /// <summary>PUBLISH: application message (null when <see cref="BodyToSkip"/> is above 0).</summary>
        public byte[] Payload { get; set; }

        /// <summary>
        /// PUBLISH: 0 for a whole message; for one larger than the maximum packet size, the bytes of its payload still to be
        /// discarded (the reader decoded only its header), which the caller skips with <see cref="NanoPacketReader.Skip"/>.
        /// </summary>
        public int BodyToSkip { get; set; }

        /// <summary>A PUBLISH read past (<see cref="BodyToSkip"/> above 0): the whole packet's size in bytes, fixed header included.</summary>
        public int PacketSize { get; set; }

        /// <summary>CONNACK: session present.</summary>
        public bool SessionPresent { get; set; }

        /// <summary>CONNACK: return code (0 accepted, 1-5 refused).</summary>
        public int ReturnCode { get; set; }

        /// <summary>SUBACK: one return code per filter (0-2 granted QoS, 0x80 failure).</summary>
        public byte[] ReturnCodes { get; set; }

        /// <summary>SUBSCRIBE / UNSUBSCRIBE: the topic filters.</summary>
        public string[] TopicFilters { get; set; }

        /// <summary>SUBSCRIBE: the requested QoS per filter.</summary>
        public byte[] RequestedQos { get; set; }

        /// <summary>CONNECT: its fields.</summary>
        public NanoConnectOptions Connect { get; set; }
    }
}
