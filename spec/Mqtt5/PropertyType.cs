namespace StateMachineMqtt.Spec
{
    /// <summary>How an MQTT 5 property's value is encoded (section 1.5).</summary>
    public enum PropertyType
    {
        /// <summary>One byte.</summary>
        Byte,
        /// <summary>A two-byte big-endian integer.</summary>
        TwoByteInteger,
        /// <summary>A four-byte big-endian integer.</summary>
        FourByteInteger,
        /// <summary>A Variable Byte Integer (one to four bytes).</summary>
        VariableByteInteger,
        /// <summary>A length-prefixed UTF-8 string.</summary>
        Utf8String,
        /// <summary>Two length-prefixed UTF-8 strings: a name and a value.</summary>
        Utf8StringPair,
        /// <summary>Length-prefixed binary data.</summary>
        BinaryData,
    }
}
