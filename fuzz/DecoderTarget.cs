namespace StateMachineMqtt.Fuzz;

/// <summary>One decoder under one protocol version: what a fuzz run or a corpus folder (fuzz/corpus/&lt;name&gt;) is for.</summary>
public enum DecoderTarget
{
    /// <summary>core/'s MqttPacketReader, MQTT 3.1.1.</summary>
    Core311,

    /// <summary>core/'s MqttPacketReader, MQTT 5.</summary>
    Core5,

    /// <summary>nano-port/Codec's NanoPacketReader.TryRead, MQTT 3.1.1.</summary>
    Nano311,

    /// <summary>nano-port/Codec's NanoPacketReader.TryRead5, MQTT 5.</summary>
    Nano5,

    /// <summary>
    /// The four above in turn, on the same input: one fuzz run (the short one CI makes) covers every decoder, and an input
    /// new to any of them is kept. Its seeds are all the others'.
    /// </summary>
    All,
}
