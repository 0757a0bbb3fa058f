using FsCheck;
using FsCheck.Fluent;

namespace StateMachineMqtt.PropertyTests.Protocol;

/// <summary>Registers the packet generators with FsCheck: <c>[Property(Arbitrary = [typeof(PacketArbitraries)])]</c>.</summary>
public static class PacketArbitraries
{
    /// <summary>Any valid packet.</summary>
    public static Arbitrary<PacketCase> Packet() => Arb.From(PacketGenerators.Packet.Select(packet => new PacketCase(packet)));

    /// <summary>Several packets sent back to back, and how the network cuts their bytes.</summary>
    public static Arbitrary<PacketStream> Stream() => Arb.From(
        from packets in Gen.Choose(1, 6).SelectMany(n => PacketGenerators.Packet.ArrayOf(n))
        from cuts in Gen.Frequency((1, Gen.Constant(0)), (6, Gen.Choose(1, 7)), (2, Gen.Choose(8, 300))).ArrayOf()
        select new PacketStream(packets, cuts));
}
