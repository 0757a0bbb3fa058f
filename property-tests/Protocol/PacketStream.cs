using System.Globalization;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Protocol;

/// <summary>
/// Packets sent back to back, and the sizes of the chunks their bytes arrive in (0 = an empty segment; after the last
/// size, the rest arrives as one chunk). Public, as a property's argument; its packets are core's internal types.
/// </summary>
public sealed class PacketStream
{
    internal PacketStream(MqttPacket[] packets, int[] chunkSizes)
    {
        Packets = packets;
        ChunkSizes = chunkSizes;
    }

    internal MqttPacket[] Packets { get; }

    internal int[] ChunkSizes { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Packets.Length} packets [{string.Join(", ", Packets.Select(PacketEquality.Describe))}], chunks [{string.Join(',', ChunkSizes.Select(c => c.ToString(CultureInfo.InvariantCulture)))}]";
}
