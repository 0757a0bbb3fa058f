namespace StateMachineMqtt.Spec
{
    /// <summary>One MQTT 5 property: its identifier, encoding, where it may appear and repeat, and its allowed values.</summary>
    public sealed class PropertyRow
    {
        /// <summary>Creates a row.</summary>
        public PropertyRow(PropertyId id, PropertyType type, PropertyContext allowedIn, PropertyContext repeatableIn, long minimum, long maximum, string rule)
        {
            Id = id;
            Type = type;
            AllowedIn = allowedIn;
            RepeatableIn = repeatableIn;
            Minimum = minimum;
            Maximum = maximum;
            Rule = rule;
        }

        /// <summary>The identifier byte.</summary>
        public PropertyId Id { get; }

        /// <summary>How its value is encoded.</summary>
        public PropertyType Type { get; }

        /// <summary>The property sets it may appear in; anywhere else it is a protocol error.</summary>
        public PropertyContext AllowedIn { get; }

        /// <summary>The property sets it may appear in more than once; in the others a second copy is a protocol error [MQTT-2.2.2-1].</summary>
        public PropertyContext RepeatableIn { get; }

        /// <summary>For the integer types: the smallest value allowed.</summary>
        public long Minimum { get; }

        /// <summary>For the integer types: the largest value allowed.</summary>
        public long Maximum { get; }

        /// <summary>The normative statement the row implements.</summary>
        public string Rule { get; }
    }
}
