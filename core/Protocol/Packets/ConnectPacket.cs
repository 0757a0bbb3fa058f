namespace StateMachineMqtt.Protocol.Packets;

/// <summary>The will message a broker publishes when the client vanishes [MQTT-3.1.2-8].</summary>
internal sealed record MqttWill(string Topic, ReadOnlyMemory<byte> Payload, MqttQualityOfService QualityOfService, bool Retain);

/// <summary>CONNECT [MQTT-3.1]. Protocol name "MQTT", level 4 (3.1.1).</summary>
internal sealed record ConnectPacket(
    string ClientId,
    bool CleanSession,
    ushort KeepAliveSeconds,
    string? UserName = null,
    ReadOnlyMemory<byte>? Password = null,
    MqttWill? Will = null) : MqttPacket
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.Connect;
}
