namespace StateMachineMqtt.Nano.Codec
{
    /// <summary>An MQTT 5 User Property: a name and a value, both UTF-8 strings; a packet may carry many, in order [MQTT-3.3.2-17].</summary>
    public sealed class NanoUserProperty
    {
        /// <summary>Creates a pair.</summary>
        public NanoUserProperty(string name, string value)
        {
            Name = name;
            Value = value;
        }

        /// <summary>The name.</summary>
        public string Name { get; }

        /// <summary>The value.</summary>
        public string Value { get; }
    }
}
