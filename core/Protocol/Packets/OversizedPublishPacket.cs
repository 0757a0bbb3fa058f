namespace StateMachineMqtt.Protocol.Packets;

/// <summary>
/// The decoded start of a received PUBLISH larger than the maximum packet size [MQTT-3.3]: its fixed header, topic and
/// packet identifier, without its payload. The reader produces it as soon as those are in, having sliced them off; the rest
/// of the packet (<see cref="BodyToSkip"/> bytes) has to be discarded as it arrives (<see cref="MqttPacketReader.Skip"/>)
/// before the next packet starts. Never encoded: it exists only so an oversized message can be acknowledged, not buffered.
/// </summary>
/// <param name="Topic">The topic name, checked as a normal PUBLISH's is.</param>
/// <param name="QualityOfService">The QoS it was sent at.</param>
/// <param name="Retain">The RETAIN flag.</param>
/// <param name="Dup">The DUP flag.</param>
/// <param name="PacketId">The packet identifier (QoS 1 and 2), else 0.</param>
/// <param name="PacketSize">The whole packet's size in bytes, fixed header included.</param>
/// <param name="BodyToSkip">The bytes after the packet identifier (or topic) still to discard: the payload.</param>
internal sealed record OversizedPublishPacket(
    string Topic,
    MqttQualityOfService QualityOfService,
    bool Retain,
    bool Dup,
    ushort PacketId,
    int PacketSize,
    int BodyToSkip) : MqttPacket
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.Publish;
}
