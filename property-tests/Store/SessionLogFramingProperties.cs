using FsCheck;
using FsCheck.Fluent;
using StateMachineMqtt.Engine.Store;
using StateMachineMqtt.PropertyTests.Fixtures.Seeds;

namespace StateMachineMqtt.PropertyTests.Store;

/// <summary>
/// The session log's framing recovers to a prefix: a log cut at any offset yields exactly the records wholly before
/// the cut, and a log with one flipped byte yields only records before the damaged one, each equal to what was written.
/// Fixed seeds (TestSeeds); the log's contents are drawn from FsCheck's seed.
/// </summary>
public sealed class SessionLogFramingProperties
{
    private static byte[][] Bodies(int seed)
    {
        Random random = new(seed);
        byte[][] bodies = new byte[random.Next(0, 12)][];
        for (int i = 0; i < bodies.Length; i++)
        {
            bodies[i] = new byte[random.Next(0, 70)];
            random.NextBytes(bodies[i]);
        }
        return bodies;
    }

    private static (byte[] Log, int[] Ends) Write(byte[][] bodies)
    {
        List<byte> log = new();
        int[] ends = new int[bodies.Length];
        for (int i = 0; i < bodies.Length; i++)
        {
            log.AddRange(SessionLogFraming.Frame(bodies[i]));
            ends[i] = log.Count;
        }
        return (log.ToArray(), ends);
    }

    private static List<byte[]> Read(byte[] log, int count)
    {
        List<byte[]> read = new();
        int position = 0;
        for (int end = SessionLogFraming.NextRecordEnd(log, count, position); end >= 0; end = SessionLogFraming.NextRecordEnd(log, count, position))
        {
            read.Add(SessionLogFraming.Body(log, position, end));
            position = end;
        }
        Assert.Equal(position, SessionLogFraming.ValidPrefixLength(log, count));
        return read;
    }

    [Fact]
    public void A_log_cut_at_any_offset_recovers_exactly_the_whole_records_before_the_cut()
    {
        Property property = Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), Gen.Choose(0, 10_000).ToArbitrary(), (seed, cutDraw) =>
        {
            byte[][] bodies = Bodies(seed);
            (byte[] log, int[] ends) = Write(bodies);
            int cut = log.Length == 0 ? 0 : cutDraw % (log.Length + 1);
            List<byte[]> read = Read(log, cut);
            int whole = ends.Count(e => e <= cut);
            return read.Count == whole && read.Select((b, i) => b.AsSpan().SequenceEqual(bodies[i])).All(x => x);
        });
        TestSeeds.Check(property, 300);
    }

    [Fact]
    public void A_log_with_a_flipped_byte_recovers_only_unchanged_records_before_the_damage()
    {
        Property property = Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), Gen.Choose(0, 10_000).ToArbitrary(), Gen.Choose(1, 255).ToArbitrary(), (seed, at, mask) =>
        {
            byte[][] bodies = Bodies(seed);
            (byte[] log, int[] ends) = Write(bodies);
            if (log.Length == 0)
            {
                return Read(log, 0).Count == 0;
            }
            int position = at % log.Length;
            log[position] ^= (byte)mask;
            int damaged = ends.Count(e => e <= position);
            List<byte[]> read = Read(log, log.Length);
            return read.Count == damaged && read.Select((b, i) => b.AsSpan().SequenceEqual(bodies[i])).All(x => x);
        });
        TestSeeds.Check(property, 300);
    }

    [Fact]
    public void Crc32C_matches_the_published_check_value()
    {
        byte[] check = "123456789"u8.ToArray();
        Assert.Equal(0xE3069283u, Crc32C.Compute(check, 0, check.Length));
    }
}
