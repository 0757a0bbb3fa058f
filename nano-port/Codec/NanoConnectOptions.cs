namespace StateMachineMqtt.Nano.Codec
{
    /// <summary>The fields of a CONNECT packet [MQTT-3.1]: what the client writes, and what the reader decodes.</summary>
    public sealed class NanoConnectOptions
    {
        /// <summary>Client identifier; may be empty only with a clean session [MQTT-3.1.3-7].</summary>
        public string ClientId { get; set; } = "";

        /// <summary>Clean session flag.</summary>
        public bool CleanSession { get; set; } = true;

        /// <summary>Keepalive in seconds; 0 turns keepalive off.</summary>
        public int KeepAliveSeconds { get; set; } = 60;

        /// <summary>User name, or null.</summary>
        public string UserName { get; set; }

        /// <summary>Password, or null; only with a user name [MQTT-3.1.2-22].</summary>
        public byte[] Password { get; set; }

        /// <summary>Will topic, or null for no will.</summary>
        public string WillTopic { get; set; }

        /// <summary>Will message (with a will topic).</summary>
        public byte[] WillPayload { get; set; }

        /// <summary>Will QoS (0-2).</summary>
        public int WillQos { get; set; }

        /// <summary>Will retain flag.</summary>
        public bool WillRetain { get; set; }

        /// <summary>
        /// MQTT 5, with a will topic: the will's properties, or null for none — Will Delay Interval, Payload Format Indicator,
        /// Message Expiry Interval, Content Type, Response Topic, Correlation Data, User Properties (spec/'s PropertyTable
        /// for a will says which; the writer refuses any other). Not copied: the client writes them into every CONNECT.
        /// </summary>
        public NanoProperties WillProperties { get; set; }
    }
}
