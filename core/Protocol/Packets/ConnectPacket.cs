using StateMachineMqtt.Protocol.V5;

namespace StateMachineMqtt.Protocol.Packets;

/// <summary>The will message a broker publishes when the client vanishes [MQTT-3.1.2-8].</summary>
internal sealed record MqttWill(string Topic, ReadOnlyMemory<byte> Payload, MqttQualityOfService QualityOfService, bool Retain, MqttProperties? Properties = null);

/// <summary>
/// CONNECT [MQTT-3.1]. Protocol name "MQTT", level 4 (3.1.1) or 5. Under MQTT 5 CleanSession is Clean Start, and
/// Properties (and the Will's) are sent; under 3.1.1 they must be null.
/// </summary>
internal sealed record ConnectPacket(
    string ClientId,
    bool CleanSession,
    ushort KeepAliveSeconds,
    string? UserName = null,
    ReadOnlyMemory<byte>? Password = null,
    MqttWill? Will = null,
    MqttProperties? Properties = null) : MqttPacket
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.Connect;

    /// <summary>The packet for logs: the user name, password and authentication data are reduced to whether they are set.</summary>
    public override string ToString() =>
        $"ConnectPacket {{ ClientId = {ClientId}, CleanSession = {CleanSession}, KeepAliveSeconds = {KeepAliveSeconds}, UserName = {Masked(UserName is not null)}, Password = {Masked(Password is not null)}, Will = {Will?.Topic ?? "none"}, Properties = {(Properties is null ? "none" : "set")} }}";

    private static string Masked(bool present) => present ? "***" : "none";
}
