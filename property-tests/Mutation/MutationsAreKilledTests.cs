using FsCheck;
using FsCheck.Fluent;
using StateMachineMqtt.PropertyTests.FaultSchedules;
using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.Mutation;

/// <summary>
/// The tests have teeth: for each single-row mutation of a table, the fault-schedule property finds a schedule that breaks
/// an invariant. A mutation that survives means the properties cannot see that row.
/// </summary>
public class MutationsAreKilledTests(ITestOutputHelper output)
{
    public static TheoryData<string> Mutations() => [.. TableMutations.All.Keys];

    [Theory]
    [MemberData(nameof(Mutations))]
    public void The_fault_schedule_property_kills_the_mutation(string mutation)
    {
        var tables = TableMutations.All[mutation];
        // Sampled rather than run through Check: only whether some schedule fails matters, so no shrinking. Gen.Sample takes
        // the count, then the seed, then the size (it once read as 50 schedules of size 2,000, not 2,000 schedules).
        FaultSchedule[] schedules = Gen.Sample(ScheduleGenerators.Schedules().Generator, 2000, new Rnd(2026UL, 0x9E3779B97F4A7C15UL), 50);
        string? killedBy = schedules.Select(s => ScheduleRunner.Run(s, tables) is { } failure ? $"{s}{Environment.NewLine}{failure}" : null).FirstOrDefault(f => f is not null);
        Assert.True(killedBy is not null, $"mutation survived 2,000 schedules: {mutation}");
        output.WriteLine($"killed by:{Environment.NewLine}{killedBy}");
    }

    [Fact]
    public void The_same_schedules_pass_with_the_unmutated_tables()
    {
        FaultSchedule[] schedules = Gen.Sample(ScheduleGenerators.Schedules().Generator, 300, new Rnd(2026UL, 0x9E3779B97F4A7C15UL), 50);
        Assert.All(schedules, s => Assert.Null(ScheduleRunner.Run(s, Machines.MachineTables.Spec)));
    }
}
