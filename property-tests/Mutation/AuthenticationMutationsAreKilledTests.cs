using FsCheck;
using FsCheck.Fluent;
using StateMachineMqtt.Machines;
using StateMachineMqtt.PropertyTests.Engine;
using StateMachineMqtt.Spec;
using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.Mutation;

/// <summary>
/// Single-row slips in the Authentication table (test-only copies), each killed by the engine's random interleavings about
/// enhanced authentication (<see cref="EngineSchedules.AuthenticationArbitrary"/>) on a fixed seed: the fault schedules
/// have no authenticator, so they cannot see these rows.
/// </summary>
public sealed class AuthenticationMutationsAreKilledTests(ITestOutputHelper output)
{
    private const int Schedules = 1000;

    private static readonly Dictionary<string, MachineTables> Mutations = new()
    {
        ["CONNECT goes before the authenticator's first data"] = Row(AuthenticationState.Idle, AuthenticationTrigger.LinkOpened, AuthenticationState.Connecting, AuthenticationEffect.SendConnect),
        ["a challenge is answered without asking the authenticator"] = Row(AuthenticationState.Connecting, AuthenticationTrigger.ServerContinue, AuthenticationState.Connecting, AuthenticationEffect.SendContinue),
        ["a re-authentication sends AUTH 0x19 without fresh data"] = Row(AuthenticationState.Idle, AuthenticationTrigger.Reauthenticate, AuthenticationState.Reauthenticating, AuthenticationEffect.SendReauthenticate, AuthenticationGuard.Connected),
        ["an answer after DisconnectAsync still sends AUTH"] = Row(AuthenticationState.ReauthStarting, AuthenticationTrigger.AnswerReady, AuthenticationState.Reauthenticating, AuthenticationEffect.SendReauthenticate, AuthenticationGuard.NotConnected),
        ["an AUTH nobody asked for completes the waiting calls"] = Row(AuthenticationState.ReauthStarting, AuthenticationTrigger.ServerSuccess, AuthenticationState.Idle, AuthenticationEffect.Complete),
    };

    public static TheoryData<string> Names() => [.. Mutations.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void The_engine_interleavings_kill_the_mutation(string mutation)
    {
        MachineTables tables = Mutations[mutation];
        EngineSchedule[] schedules = Gen.Sample(EngineSchedules.AuthenticationArbitrary().Generator, Schedules, new Rnd(2026UL, 0x9E3779B97F4A7C15UL), 80);
        string? killedBy = schedules.Select(s => EngineScheduleRunner.Run(s, tables: tables)).FirstOrDefault(f => f is not null);
        Assert.True(killedBy is not null, $"mutation survived {Schedules} schedules: {mutation}");
        output.WriteLine($"killed by:{Environment.NewLine}{killedBy}");
    }

    [Fact]
    public void The_same_schedules_pass_with_the_unmutated_table()
    {
        EngineSchedule[] schedules = Gen.Sample(EngineSchedules.AuthenticationArbitrary().Generator, Schedules, new Rnd(2026UL, 0x9E3779B97F4A7C15UL), 80);
        Assert.All(schedules, s => Assert.Null(EngineScheduleRunner.Run(s)));
    }

    private static MachineTables Row(AuthenticationState from, AuthenticationTrigger trigger, AuthenticationState to, AuthenticationEffect effect, AuthenticationGuard guard = AuthenticationGuard.None)
    {
        var rows = MachineTables.Spec.Authentication!.ToArray();
        int index = Array.FindIndex(rows, r => r.From == from && r.Trigger == trigger && r.Guard == guard);
        Assert.True(index >= 0 && Array.FindLastIndex(rows, r => r.From == from && r.Trigger == trigger && r.Guard == guard) == index, "a mutation must select exactly one row");
        rows[index] = rows[index] with { To = to, Effect = effect };
        return MachineTables.Spec with { Authentication = rows };
    }
}
