using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StateMachineMqtt.Fuzz;

namespace StateMachineMqtt.PropertyTests.Protocol.Fuzzing;

/// <summary>
/// The fuzz targets' promises without afl: random bytes, and corpus files mutated as a fuzzer would (bytes overwritten,
/// inserted, deleted, bits flipped, files spliced), through every decoder in both versions. Fixed seed (the assembly's),
/// fast, and on every machine, where the afl run needs afl++.
/// </summary>
public sealed class DecoderHostileBytesProperties
{
    private static readonly IReadOnlyList<byte[]> Corpus = FuzzCorpus.Contents();

    [Property(Arbitrary = new[] { typeof(FuzzInputs) }, MaxTest = 1500)]
    public void Random_and_mutated_corpus_bytes_raise_only_the_protocol_exception(FuzzInput input)
    {
        foreach (DecoderTarget target in DecoderTargets.EachDecoder)
        {
            DecodeOutcome outcome = DecoderTargets.Decode(target, input.Bytes);
            Assert.True(outcome.Packets <= input.Bytes.Length / 2, $"{target}: {outcome.Packets} packets from {input.Bytes.Length} bytes");
        }
    }

    /// <summary>Input for <see cref="Random_and_mutated_corpus_bytes_raise_only_the_protocol_exception"/>.</summary>
    public sealed record FuzzInput(byte[] Bytes)
    {
        /// <inheritdoc />
        public override string ToString() => Convert.ToHexString(Bytes);
    }

    /// <summary>Generates <see cref="FuzzInput"/>: a quarter noise, the rest mutated corpus files.</summary>
    public static class FuzzInputs
    {
        private static readonly Gen<byte> AnyByte = Gen.Choose(0, 255).Select(b => (byte)b);

        /// <summary>Registers the generator with FsCheck.</summary>
        public static Arbitrary<FuzzInput> Input() => Arb.From(
            Gen.Frequency((1, Noise), (3, Mutated)).Select(bytes => new FuzzInput(bytes)));

        private static Gen<byte[]> Noise => Gen.Choose(0, 96).SelectMany(AnyByte.ArrayOf);

        private static Gen<byte[]> Mutated =>
            from seed in Gen.Elements(Corpus.ToArray())
            from times in Gen.Choose(1, 4)
            from mutated in Mutate(seed, times)
            select mutated;

        private static Gen<byte[]> Mutate(byte[] bytes, int times)
        {
            if (times == 0)
            {
                return Gen.Constant(bytes);
            }

            return (from kind in Gen.Choose(0, 5)
                    from at in Gen.Choose(0, Math.Max(0, bytes.Length - 1))
                    from value in AnyByte
                    from other in Gen.Elements(Corpus.ToArray())
                    select Apply(bytes, kind, at, value, other))
                .SelectMany(mutated => Mutate(mutated, times - 1));
        }

        private static byte[] Apply(byte[] bytes, int kind, int at, byte value, byte[] other)
        {
            if (bytes.Length == 0)
            {
                return [value];
            }

            return kind switch
            {
                0 => With(bytes, at, value),
                1 => With(bytes, at, (byte)(bytes[at] ^ (1 << (value & 7)))),
                2 => [.. bytes[..at], value, .. bytes[at..]],
                3 => [.. bytes[..at], .. bytes[(at + 1)..]],
                4 => [.. bytes[..at], .. other],
                _ => With(bytes, at, value is < 0x80 ? (byte)0xFF : (byte)0x7F), // interesting values: a length's extremes
            };
        }

        private static byte[] With(byte[] bytes, int at, byte value)
        {
            byte[] copy = (byte[])bytes.Clone();
            copy[at] = value;
            return copy;
        }
    }
}
