namespace StateMachineMqtt.Spec
{
    /// <summary>One CONNACK refusal: in this version, this code means this, and retrying can (or cannot) fix it.</summary>
    public sealed class ConnAckRefusalRow
    {
        /// <summary>Creates a row.</summary>
        public ConnAckRefusalRow(MqttProtocolVersion version, int code, string name, bool retryable, string why)
        {
            Version = version;
            Code = code;
            Name = name;
            Retryable = retryable;
            Why = why;
        }

        /// <summary>The version whose CONNACK carries the code.</summary>
        public MqttProtocolVersion Version { get; }

        /// <summary>The return code (3.1.1) or reason code (MQTT 5) byte.</summary>
        public int Code { get; }

        /// <summary>Its name in the specification.</summary>
        public string Name { get; }

        /// <summary>True when a later attempt may succeed (ConnAckRefusedRetryable); false when only a fix can (ConnAckRefusedFatal).</summary>
        public bool Retryable { get; }

        /// <summary>Why it is classed so.</summary>
        public string Why { get; }
    }
}
