using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.Fixtures.Seeds;

public sealed class TestSeedsTests(ITestOutputHelper output)
{
    [Fact]
    public void This_runs_seed_is_the_fixed_one_unless_asked_otherwise_and_is_printed_with_its_replay_line()
    {
        output.WriteLine($"seed {TestSeeds.Replay}; replay with: {TestSeeds.ReplayLine()}");
        bool asked = Environment.GetEnvironmentVariable(TestSeeds.SeedVariable) is { Length: > 0 } || TestSeeds.IsRandom;
        Assert.True(asked || TestSeeds.Replay == TestSeeds.Fixed, $"seed {TestSeeds.Replay} without {TestSeeds.RandomVariable} or {TestSeeds.SeedVariable}");
        Assert.Contains($"{TestSeeds.SeedVariable}={TestSeeds.Replay} ", TestSeeds.ReplayLine(), StringComparison.Ordinal);
    }

    [Fact]
    public void Two_checks_from_the_seed_see_the_same_inputs()
    {
        Assert.Equal(Inputs(), Inputs());
    }

    [Fact]
    public void A_failing_check_names_its_seed_and_replay_line()
    {
        var failure = Assert.ThrowsAny<Exception>(() => TestSeeds.Check(Prop.ForAll(ArbMap.Default.ArbFor<int>(), a => a < 5), 100));
        Assert.Contains("Falsifiable", failure.Message, StringComparison.Ordinal);
        Assert.Contains(TestSeeds.ReplayLine(nameof(A_failing_check_names_its_seed_and_replay_line)), failure.Message, StringComparison.Ordinal);
    }

    private static List<int> Inputs()
    {
        var seen = new List<int>();
        TestSeeds.Check(Prop.ForAll(ArbMap.Default.ArbFor<int>(), a =>
        {
            seen.Add(a);
            return true;
        }), 50);
        return seen;
    }
}
