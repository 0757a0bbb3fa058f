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
}
