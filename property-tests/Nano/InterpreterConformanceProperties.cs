using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StateMachineMqtt.Machines;
using StateMachineMqtt.Nano.Interpreter;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>
/// Conformance (a): the nano interpreter and the Stateless machines built by core/Machines/MachineFactory, fed the same
/// random trigger sequences with the same random guard values, take the same rows to the same states — and refuse the
/// same events (no row, or overlapping guards) with the same message. Guard values are drawn independently per guard,
/// so overlaps and holes are exercised too, not only the exclusive families the tables use.
/// </summary>
public sealed class InterpreterConformanceProperties
{
    // Each step: low byte picks the trigger, the bits above give each guard (by enum value) a truth value.
    private static bool GuardBit(int step, int guardValue) => ((step >> (8 + guardValue)) & 1) != 0;

    [Property(MaxTest = 500)]
    public Property Connection_interpreter_agrees_with_Stateless(int[] steps)
    {
        int step = 0;
        var stateless = MachineFactory.Connection(g => GuardBit(step, (int)g));
        var nano = new ConnectionInterpreter(new ConnectionGuardsFrom(g => GuardBit(step, (int)g)));
        var triggers = Enum.GetValues<ConnectionTrigger>();
        foreach (int s in steps ?? [])
        {
            step = s;
            ConnectionTrigger trigger = triggers[(s & 0xFF) % triggers.Length];
            string? difference = Compare(
                () => { var r = stateless.Fire(trigger); return (r.Index, r.To.ToString()); },
                () => { var r = nano.Fire(trigger); return (nano.LastRowIndex, r.To.ToString()); },
                () => stateless.State.ToString(),
                () => nano.State.ToString());
            if (difference is not null)
            {
                return false.Label($"Connection, {trigger}: {difference}");
            }
        }

        return true.ToProperty();
    }

    [Property(MaxTest = 500)]
    public Property KeepAlive_interpreter_agrees_with_Stateless(int[] steps)
    {
        int step = 0;
        var stateless = MachineFactory.KeepAlive(g => GuardBit(step, (int)g));
        var nano = new KeepAliveInterpreter(new KeepAliveGuardsFrom(g => GuardBit(step, (int)g)));
        var triggers = Enum.GetValues<KeepAliveTrigger>();
        foreach (int s in steps ?? [])
        {
            step = s;
            KeepAliveTrigger trigger = triggers[(s & 0xFF) % triggers.Length];
            string? difference = Compare(
                () => { var r = stateless.Fire(trigger); return (r.Index, r.To.ToString()); },
                () => { var r = nano.Fire(trigger); return (nano.LastRowIndex, r.To.ToString()); },
                () => stateless.State.ToString(),
                () => nano.State.ToString());
            if (difference is not null)
            {
                return false.Label($"KeepAlive, {trigger}: {difference}");
            }
        }

        return true.ToProperty();
    }

    [Property(MaxTest = 500)]
    public Property Publish_interpreter_agrees_with_Stateless(int[] steps)
    {
        int step = 0;
        PublishState stored = PublishTable.Initial;
        var stateless = MachineFactory.Publish(g => GuardBit(step, (int)g), () => stored, s => stored = s);
        var nano = new PublishInterpreter();
        var guards = new PublishGuardsFrom(g => GuardBit(step, (int)g));
        PublishState nanoState = PublishTable.Initial;
        var triggers = Enum.GetValues<PublishTrigger>();
        foreach (int s in steps ?? [])
        {
            step = s;
            PublishTrigger trigger = triggers[(s & 0xFF) % triggers.Length];
            string? difference = Compare(
                () => { var r = stateless.Fire(trigger); return (r.Index, r.To.ToString()); },
                () => { var r = nano.Fire(nanoState, trigger, guards); nanoState = r.To; return (nano.LastRowIndex, r.To.ToString()); },
                () => stored.ToString(),
                () => nanoState.ToString());
            if (difference is not null)
            {
                return false.Label($"Publish, {trigger}: {difference}");
            }
        }

        return true.ToProperty();
    }

    [Fact]
    public void A_hole_and_an_overlap_are_reported_as_core_reports_them()
    {
        var nano = new ConnectionInterpreter(new ConnectionGuardsFrom(_ => true));
        var hole = Assert.Throws<InvalidOperationException>(() => nano.Fire(ConnectionTrigger.KeepAliveExpired));
        Assert.Equal("Connection: no row handles KeepAliveExpired in state Idle. The table in spec/ must say what happens.", hole.Message);

        nano.Fire(ConnectionTrigger.Connect);
        var overlap = Assert.Throws<InvalidOperationException>(() => nano.Fire(ConnectionTrigger.ConfigurationError));
        Assert.Equal("Connection: rows 7 and 8 both apply to ConfigurationError in Connecting; their guards must exclude each other.", overlap.Message);
        Assert.Equal(ConnectionState.Connecting, nano.State);
    }

    /// <summary>Runs one event on both machines; null when they agree on the outcome and on the state after it.</summary>
    private static string? Compare(Func<(int Row, string To)> stateless, Func<(int Row, string To)> nano, Func<string> statelessState, Func<string> nanoState)
    {
        (bool okS, (int, string) rowS, string? errorS) = Run(stateless);
        (bool okN, (int, string) rowN, string? errorN) = Run(nano);
        if (okS != okN || errorS != errorN)
        {
            return $"Stateless {(okS ? "took row " + rowS.Item1 : "threw \"" + errorS + "\"")}, nano {(okN ? "took row " + rowN.Item1 : "threw \"" + errorN + "\"")}";
        }

        if (rowS != rowN)
        {
            return $"Stateless took row {rowS.Item1} to {rowS.Item2}, nano row {rowN.Item1} to {rowN.Item2}";
        }

        return statelessState() == nanoState() ? null : $"Stateless is in {statelessState()}, nano in {nanoState()}";
    }

    private static (bool Ok, (int, string) Row, string? Error) Run(Func<(int, string)> fire)
    {
        try
        {
            return (true, fire(), null);
        }
        catch (InvalidOperationException e)
        {
            return (false, default, e.Message);
        }
    }

    private sealed class ConnectionGuardsFrom(Func<ConnectionGuard, bool> holds) : IConnectionGuards
    {
        public bool Holds(ConnectionGuard guard) => holds(guard);
    }

    private sealed class KeepAliveGuardsFrom(Func<KeepAliveGuard, bool> holds) : IKeepAliveGuards
    {
        public bool Holds(KeepAliveGuard guard) => holds(guard);
    }

    private sealed class PublishGuardsFrom(Func<PublishGuard, bool> holds) : IPublishGuards
    {
        public bool Holds(PublishGuard guard) => holds(guard);
    }
}
