namespace StateMachineMqtt.Spec
{
    /// <summary>One MQTT 5 reason code: its value, its name, and the packets that may carry it.</summary>
    public sealed class ReasonCodeRow
    {
        /// <summary>Creates a row.</summary>
        public ReasonCodeRow(int code, string name, PropertyContext packets)
        {
            Code = code;
            Name = name;
            Packets = packets;
        }

        /// <summary>The byte on the wire.</summary>
        public int Code { get; }

        /// <summary>Its name in the specification (0x00 has one per packet: "Success", "Normal disconnection", "Granted QoS 0").</summary>
        public string Name { get; }

        /// <summary>The packets it may appear in (named by their <see cref="PropertyContext"/> flag).</summary>
        public PropertyContext Packets { get; }

        /// <summary>True for a failure: every code from 0x80 up [MQTT-2.4].</summary>
        public bool IsFailure
        {
            get { return Code >= 0x80; }
        }
    }
}
