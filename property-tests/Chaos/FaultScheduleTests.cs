using StateMachineMqtt.TestKit.Soak;

namespace StateMachineMqtt.PropertyTests.Chaos;

/// <summary>The seeded fault schedule: repeatable, varied, with broker kills at the promised spacing.</summary>
public sealed class FaultScheduleTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(977)]
    public void The_same_seed_gives_the_same_faults_and_another_seed_other_faults(int seed)
    {
        var options = new SoakOptions { Seed = seed };
        var first = FaultSchedule.Take(options, 200);
        Assert.Equal(first, FaultSchedule.Take(options, 200));
        Assert.NotEqual(first, FaultSchedule.Take(options with { Seed = seed + 1 }, 200));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5150)]
    public void Kills_come_between_the_configured_numbers_of_proxy_faults_and_every_kind_occurs(int seed)
    {
        var options = new SoakOptions { Seed = seed, ProxyFaultsBetweenKills = new Range<int>(4, 7) };
        var faults = FaultSchedule.Take(options, 300);
        var kills = faults.Where(f => f.Kind == FaultKind.BrokerKill).Select(f => f.Index).ToList();
        var gaps = kills.Zip(kills.Skip(1), (a, b) => b - a - 1).Prepend(kills[0]);
        Assert.All(gaps, gap => Assert.InRange(gap, 4, 7));
        Assert.Equal(Enum.GetValues<FaultKind>().Order(), faults.Select(f => f.Kind).Distinct().Order());
        Assert.All(faults, f => Assert.InRange(f.Wait, options.FaultInterval.Minimum, options.FaultInterval.Maximum));
    }

    [Fact]
    public void Cuts_hit_only_the_publisher_and_kills_only_the_broker_and_only_standing_faults_last()
    {
        var faults = FaultSchedule.Take(new SoakOptions { Seed = 8 }, 400);
        Assert.All(faults.Where(f => f.Kind == FaultKind.CutBeforePubAck), f => Assert.Equal(FaultTarget.Publisher, f.Target));
        Assert.All(faults, f => Assert.Equal(f.Kind == FaultKind.BrokerKill, f.Target == FaultTarget.Broker));
        Assert.Contains(faults, f => f.Target == FaultTarget.Subscriber);
        Assert.All(faults, f => Assert.Equal(f.Kind is FaultKind.Latency or FaultKind.Throttle or FaultKind.Refuse or FaultKind.BrokerKill, f.Duration > TimeSpan.Zero));
    }
}
