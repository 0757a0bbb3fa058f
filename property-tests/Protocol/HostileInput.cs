using FsCheck;
using FsCheck.Fluent;

namespace StateMachineMqtt.PropertyTests.Protocol;

/// <summary>Bytes from a broken or hostile peer, how they arrive in chunks, and the reader's size limit.</summary>
public sealed record HostileInput(byte[] Bytes, int[] ChunkSizes, int MaximumPacketSize)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"Bytes={Convert.ToHexString(Bytes)}, Chunks=[{string.Join(',', ChunkSizes)}], MaximumPacketSize={MaximumPacketSize}";
}

/// <summary>
/// Generates hostile input: pure noise, valid packets with bytes overwritten, inserted or cut off, and well-formed
/// headers in front of noise — so the decoder is driven deep into every packet type, not just its first byte.
/// </summary>
public static class HostileInputArbitraries
{
    private static readonly Gen<byte> AnyByte = Gen.Choose(0, 255).Select(b => (byte)b);

    /// <summary>Registers the generator with FsCheck.</summary>
    public static Arbitrary<HostileInput> Input() => Arb.From(
        from bytes in Gen.Frequency((1, Noise), (4, MutatedPackets), (2, HeaderThenNoise))
        from chunks in Gen.Frequency((1, Gen.Constant(0)), (4, Gen.Choose(1, 9))).ArrayOf()
        from limit in Gen.Frequency((3, Gen.Constant(PacketBytes.NoLimit)), (1, Gen.Choose(2, 200)))
        select new HostileInput(bytes, chunks, limit));

    private static Gen<byte[]> Noise => Gen.Choose(0, 64).SelectMany(AnyByte.ArrayOf);

    // A valid first byte of any type (reserved flags included), a short remaining length, then noise of about that length.
    private static Gen<byte[]> HeaderThenNoise =>
        from type in Gen.Choose(1, 14)
        from flags in Gen.Frequency((3, Gen.Constant(type is 6 or 8 or 10 ? 2 : 0)), (1, Gen.Choose(0, 15)))
        from length in Gen.Choose(0, 40)
        from body in Gen.Choose(Math.Max(0, length - 2), length + 2).SelectMany(AnyByte.ArrayOf)
        select (byte[])[(byte)((type << 4) | flags), (byte)length, .. body];

    private static Gen<byte[]> MutatedPackets =>
        from packets in Gen.Choose(1, 3).SelectMany(PacketGenerators.Packet.ArrayOf)
        let bytes = packets.SelectMany(PacketBytes.Encode).ToArray()
        from mutations in Gen.Choose(1, 3)
        from result in Mutate(bytes, mutations)
        select result;

    private static Gen<byte[]> Mutate(byte[] bytes, int times)
    {
        if (times == 0 || bytes.Length == 0)
        {
            return Gen.Constant(bytes);
        }

        return Gen.Choose(0, bytes.Length - 1)
            .SelectMany(at => Gen.Choose(0, 3).SelectMany(kind => AnyByte.Select(value => kind switch
            {
                0 => Overwrite(bytes, at, value),
                1 => (byte[])[.. bytes[..at], value, .. bytes[at..]],
                2 => bytes[..at],
                _ => (byte[])[.. bytes[..at], .. bytes[(at + 1)..]],
            })))
            .SelectMany(mutated => Mutate(mutated, times - 1));
    }

    private static byte[] Overwrite(byte[] bytes, int at, byte value)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[at] = value;
        return copy;
    }
}
