using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StateMachineMqtt.Engine;

namespace StateMachineMqtt.PropertyTests.Client;

public class ReconnectPolicyTests
{
    [Property(MaxTest = 200)]
    public Property Backoff_grows_to_its_bound_with_jitter_in_the_upper_half(PositiveInt seed, PositiveInt attemptRaw)
    {
        var policy = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), seed.Get);
        int attempt = 1 + (attemptRaw.Get % 40);
        double ceiling = Math.Min(30_000, 1000 * Math.Pow(2, attempt - 1));
        double delay = policy.NextDelay(attempt).TotalMilliseconds;
        return (delay >= ceiling / 2 && delay <= ceiling).Label($"attempt {attempt}: {delay} ms not in [{ceiling / 2}, {ceiling}]");
    }

    [Fact]
    public void The_same_seed_gives_the_same_delays()
    {
        var a = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 7);
        var b = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 7);
        Assert.Equal(Enumerable.Range(1, 10).Select(a.NextDelay), Enumerable.Range(1, 10).Select(b.NextDelay));
    }

    [Fact]
    public void A_maximum_below_the_initial_delay_is_refused() =>
        Assert.Contains("at least the initial delay", Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialBackoff(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1))).Message, StringComparison.Ordinal);

    [Property(MaxTest = 100)]
    public Property Packet_identifiers_are_unique_and_never_zero(PositiveInt takes, int seed)
    {
        // The engine's identifier map: what it holds is in use, and TakeFreeId never hands out one of those, nor 0 (I2).
        var ids = new PacketIdMap();
        var random = new Random(seed);
        var live = new HashSet<int>();
        for (int i = 0; i < takes.Get % 3000; i++)
        {
            if (live.Count > 0 && random.Next(3) == 0)
            {
                int release = live.ElementAt(random.Next(live.Count));
                ids.Remove(release);
                live.Remove(release);
            }

            int id = ids.TakeFreeId();
            ids.Put(id, id);
            if (id is <= 0 or > 65535 || !live.Add(id))
            {
                return false.Label($"identifier {id} handed out twice or out of range");
            }
        }

        return (ids.Count == live.Count).ToProperty();
    }

    [Fact]
    public void Identifiers_wrap_from_65535_back_to_1_never_0()
    {
        var ids = new PacketIdMap();
        int last = 0;
        for (int i = 0; i < 65535; i++)
        {
            last = ids.TakeFreeId();
        }

        Assert.Equal(65535, last);
        Assert.Equal(1, ids.TakeFreeId());
        ids.Put(1, "held");
        Assert.Equal(2, ids.TakeFreeId()); // 1 is held, so it is skipped
    }
}
