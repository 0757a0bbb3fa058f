using System.Globalization;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Protocol;

/// <summary>
/// Packets sent back to back, and the sizes of the chunks their bytes arrive in (0 = an empty segment; after the last
/// size, the rest arrives as one chunk).
/// </summary>
public sealed record PacketStream(MqttPacket[] Packets, int[] ChunkSizes)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Packets.Length} packets [{string.Join(", ", Packets.Select(PacketEquality.Describe))}], chunks [{string.Join(',', ChunkSizes.Select(c => c.ToString(CultureInfo.InvariantCulture)))}]";
}
