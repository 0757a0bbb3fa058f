using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Simulation.Broker;

/// <summary>
/// One packet the broker received from or sent to a client, at a virtual time, on a link. <see cref="Dropped"/> marks a
/// packet a fault swallowed (received but ignored, or never written).
/// </summary>
internal sealed record PacketRecord(TimeSpan At, int LinkId, MqttPacket Packet, bool Dropped = false)
{
    /// <summary>The packet's type.</summary>
    public MqttPacketType Type => Packet.Type;

    /// <summary>The packet identifier, or null for packets without one (and QoS 0 PUBLISH).</summary>
    public ushort? PacketId => Packet is IHasPacketId withId && withId.PacketId != 0 ? withId.PacketId : null;

    /// <summary>The DUP flag of a PUBLISH; false for other packets.</summary>
    public bool Dup => Packet is PublishPacket { Dup: true };

    /// <inheritdoc />
    public override string ToString() =>
        $"{At.TotalMilliseconds:0.###} ms link {LinkId} {Type}{(PacketId is { } id ? $" id={id}" : "")}{(Dup ? " DUP" : "")}{(Dropped ? " (dropped)" : "")}";
}

/// <summary>
/// A PUBLISH the broker accepted (routed; acknowledged with PUBACK at QoS 1, PUBREC at QoS 2): the ground truth for no-loss
/// checks. A QoS 2 PUBLISH whose identifier the session still holds is the same message again, not accepted again.
/// <paramref name="Session"/> is the instance number of the broker session that accepted it, so exactly-once checks can tell
/// one session from the next.
/// </summary>
public sealed record AcceptedMessage(TimeSpan At, string ClientId, string Topic, ReadOnlyMemory<byte> Payload, MqttQualityOfService QualityOfService, ushort PacketId, bool Dup, int Session = 0);

/// <summary>
/// A QoS 1 or 2 message the broker queued for a client's session (<paramref name="Session"/>, its instance number): while
/// that session lasts, the client must receive it — a QoS 2 one exactly once.
/// </summary>
public sealed record RoutedMessage(string ClientId, int Session, string Topic, ReadOnlyMemory<byte> Payload, MqttQualityOfService QualityOfService);
