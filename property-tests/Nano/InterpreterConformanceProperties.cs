using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StateMachineMqtt.Engine;
using StateMachineMqtt.Machines;
using StateMachineMqtt.Nano.Interpreter;
using StateMachineMqtt.PropertyTests.Fixtures.Seeds;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>
/// Conformance (a), through the engine's machine interfaces: the nano interpreter's machines (<see cref="InterpreterMachines"/>)
/// and core's Stateless machines (<see cref="StatelessMachines"/>), made by their factories and fed the same random trigger
/// sequences with the same random guard answers, take the same row, return the same effect and reach the same state — and
/// refuse the same events (no row, or overlapping guards) with the same message. Guard answers are drawn independently per
/// guard, so overlaps and holes are exercised too, not only the exclusive families the tables use. The one Publish machine
/// runs on several flows' external states, interleaved, so QoS 1 and QoS 2 flows (the fork's two guards) run side by side;
/// the one Receipt machine (inbound QoS 2) likewise. The Authentication machine (MQTT 5 AUTH) runs as Connection does.
/// The steps drawn take every row of every table, which a test checks.
/// </summary>
public sealed class InterpreterConformanceProperties
{
    private const int Tests = 500;

    // Each step: low byte picks the trigger, the next bits the flow (Publish), the bits from 12 up give each guard (by enum value) a truth value.
    private static bool GuardBit(int step, int guardValue) => ((step >> (12 + guardValue)) & 1) != 0;

    [Property(Arbitrary = new[] { typeof(StepArbitraries) }, MaxTest = Tests)]
    public Property Connection_machines_agree(int[] steps) => Agree(ConnectionDifference(steps, []));

    [Property(Arbitrary = new[] { typeof(StepArbitraries) }, MaxTest = Tests)]
    public Property KeepAlive_machines_agree(int[] steps) => Agree(KeepAliveDifference(steps, []));

    [Property(Arbitrary = new[] { typeof(StepArbitraries) }, MaxTest = Tests)]
    public Property Authentication_machines_agree(int[] steps) => Agree(AuthenticationDifference(steps, []));

    [Property(Arbitrary = new[] { typeof(StepArbitraries) }, MaxTest = Tests)]
    public Property Publish_machines_agree_on_interleaved_flows(int[] steps) => Agree(PublishDifference(steps, []));

    [Property(Arbitrary = new[] { typeof(StepArbitraries) }, MaxTest = Tests)]
    public Property Receipt_machines_agree_on_interleaved_flows(int[] steps) => Agree(ReceiptDifference(steps, []));

    [Fact]
    public void The_generated_steps_take_every_row_of_every_table()
    {
        // Agreement proves little about rows never taken: the steps the properties draw must reach every row (the QoS 2
        // rows behind the (Queued, Transmit) fork among them), or the generator has lost its reach.
        var connection = new HashSet<int>();
        var keepAlive = new HashSet<int>();
        var publish = new HashSet<int>();
        var receipt = new HashSet<int>();
        var authentication = new HashSet<int>();
        TestSeeds.Check(
            Prop.ForAll(StepArbitraries.Steps(), steps =>
            {
                ConnectionDifference(steps, connection);
                KeepAliveDifference(steps, keepAlive);
                PublishDifference(steps, publish);
                ReceiptDifference(steps, receipt);
                AuthenticationDifference(steps, authentication);
                return true;
            }),
            Tests);
        Assert.Equal(Enumerable.Range(0, ConnectionTable.CreateRows().Length), connection.Order());
        Assert.Equal(Enumerable.Range(0, KeepAliveTable.CreateRows().Length), keepAlive.Order());
        Assert.Equal(Enumerable.Range(0, PublishTable.CreateRows().Length), publish.Order());
        Assert.Equal(Enumerable.Range(0, ReceiptTable.CreateRows().Length), receipt.Order());
        Assert.Equal(Enumerable.Range(0, AuthenticationTable.CreateRows().Length), authentication.Order());
    }

    private static Property Agree(string? difference) => (difference is null).Label(difference ?? "");

    /// <summary>Runs the steps on both Connection machines; the first difference, or null. Adds each row both took to <paramref name="taken"/>.</summary>
    private static string? ConnectionDifference(int[] steps, HashSet<int> taken)
    {
        var guards = new Guards();
        var rows = new List<int>();
        var factory = new InterpreterMachines();
        IConnectionMachine stateless = null!;
        IConnectionMachine nano = null!;
        var triggers = Enum.GetValues<ConnectionTrigger>();
        foreach (int s in steps ?? [])
        {
            if (nano is null || (nano.State == ConnectionState.Disposed && stateless.State == ConnectionState.Disposed))
            {
                // Disposed is final and one trigger in a dozen leads there: start a new pair, so a walk reaches the deep states.
                stateless = new StatelessMachines(observer: t => rows.Add(t.RowIndex)).CreateConnection(guards);
                nano = factory.CreateConnection(guards);
            }

            guards.Step = s;
            ConnectionTrigger trigger = triggers[(s & 0xFF) % triggers.Length];
            string? difference = Compare(
                () => (stateless.Fire(trigger).ToString(), rows[^1]),
                () => (nano.Fire(trigger).ToString(), factory.Connection!.LastRowIndex),
                () => stateless.State.ToString(),
                () => nano.State.ToString(),
                taken);
            if (difference is not null)
            {
                return $"Connection, {trigger}: {difference}";
            }
        }

        return null;
    }

    /// <summary>Runs the steps on both KeepAlive machines; the first difference, or null.</summary>
    private static string? KeepAliveDifference(int[] steps, HashSet<int> taken)
    {
        var guards = new Guards();
        var rows = new List<int>();
        IKeepAliveMachine stateless = new StatelessMachines(observer: t => rows.Add(t.RowIndex)).CreateKeepAlive(guards);
        var factory = new InterpreterMachines();
        IKeepAliveMachine nano = factory.CreateKeepAlive(guards);
        var triggers = Enum.GetValues<KeepAliveTrigger>();
        foreach (int s in steps ?? [])
        {
            guards.Step = s;
            KeepAliveTrigger trigger = triggers[(s & 0xFF) % triggers.Length];
            string? difference = Compare(
                () => (stateless.Fire(trigger).ToString(), rows[^1]),
                () => (nano.Fire(trigger).ToString(), factory.KeepAlive!.LastRowIndex),
                () => stateless.State.ToString(),
                () => nano.State.ToString(),
                taken);
            if (difference is not null)
            {
                return $"KeepAlive, {trigger}: {difference}";
            }
        }

        return null;
    }

    /// <summary>Runs the steps on both Authentication machines; the first difference, or null.</summary>
    private static string? AuthenticationDifference(int[] steps, HashSet<int> taken)
    {
        var guards = new Guards();
        var rows = new List<int>();
        IAuthenticationMachine stateless = new StatelessMachines(observer: t => rows.Add(t.RowIndex)).CreateAuthentication(guards);
        var factory = new InterpreterMachines();
        IAuthenticationMachine nano = factory.CreateAuthentication(guards);
        var triggers = Enum.GetValues<AuthenticationTrigger>();
        foreach (int s in steps ?? [])
        {
            guards.Step = s;
            AuthenticationTrigger trigger = triggers[(s & 0xFF) % triggers.Length];
            string? difference = Compare(
                () => (stateless.Fire(trigger).ToString(), rows[^1]),
                () => (nano.Fire(trigger).ToString(), factory.Authentication!.LastRowIndex),
                () => stateless.State.ToString(),
                () => nano.State.ToString(),
                taken);
            if (difference is not null)
            {
                return $"Authentication, {trigger}: {difference}";
            }
        }

        return null;
    }

    /// <summary>Runs the steps on the one Publish machine of each kind, over three flows' external states; the first difference, or null.</summary>
    private static string? PublishDifference(int[] steps, HashSet<int> taken)
    {
        var rows = new List<int>();
        IPublishMachine stateless = new StatelessMachines(observer: t => rows.Add(t.RowIndex)).CreatePublish();
        var factory = new InterpreterMachines();
        IPublishMachine nano = factory.CreatePublish();
        Flow[] statelessFlows = [new(), new(), new()];
        Flow[] nanoFlows = [new(), new(), new()];
        var triggers = Enum.GetValues<PublishTrigger>();
        foreach (int s in steps ?? [])
        {
            PublishTrigger trigger = triggers[(s & 0xFF) % triggers.Length];
            int which = ((s >> 8) & 0xF) % statelessFlows.Length;
            Flow sf = statelessFlows[which];
            Flow nf = nanoFlows[which];
            sf.Step = s;
            nf.Step = s;
            string? difference = Compare(
                () => (stateless.Fire(sf, trigger).ToString(), rows[^1]),
                () => (nano.Fire(nf, trigger).ToString(), factory.Publish!.LastRowIndex),
                () => string.Join(",", statelessFlows.Select(f => f.State)),
                () => string.Join(",", nanoFlows.Select(f => f.State)),
                taken);
            if (difference is not null)
            {
                return $"Publish flow {which}, {trigger}: {difference}";
            }
        }

        return null;
    }

    /// <summary>Runs the steps on the one Receipt machine of each kind, over three exchanges' external states; the first difference, or null.</summary>
    private static string? ReceiptDifference(int[] steps, HashSet<int> taken)
    {
        var rows = new List<int>();
        IReceiptMachine stateless = new StatelessMachines(observer: t => rows.Add(t.RowIndex)).CreateReceipt();
        var factory = new InterpreterMachines();
        IReceiptMachine nano = factory.CreateReceipt();
        Exchange[] statelessFlows = [new(), new(), new()];
        Exchange[] nanoFlows = [new(), new(), new()];
        var triggers = Enum.GetValues<ReceiptTrigger>();
        foreach (int s in steps ?? [])
        {
            ReceiptTrigger trigger = triggers[(s & 0xFF) % triggers.Length];
            int which = ((s >> 8) & 0xF) % statelessFlows.Length;
            Exchange sf = statelessFlows[which];
            Exchange nf = nanoFlows[which];
            sf.Step = s;
            nf.Step = s;
            string? difference = Compare(
                () => (stateless.Fire(sf, trigger).ToString(), rows[^1]),
                () => (nano.Fire(nf, trigger).ToString(), factory.Receipt!.LastRowIndex),
                () => string.Join(",", statelessFlows.Select(f => f.State)),
                () => string.Join(",", nanoFlows.Select(f => f.State)),
                taken);
            if (difference is not null)
            {
                return $"Receipt exchange {which}, {trigger}: {difference}";
            }
        }

        return null;
    }

    [Fact]
    public void A_hole_and_an_overlap_are_reported_as_core_reports_them()
    {
        var always = new Guards { Step = -1 };
        IConnectionMachine nano = new InterpreterMachines().CreateConnection(always);
        var hole = Assert.Throws<InvalidOperationException>(() => nano.Fire(ConnectionTrigger.KeepAliveExpired));
        Assert.Equal("Connection: no row handles KeepAliveExpired in state Idle. The table in spec/ must say what happens.", hole.Message);

        nano.Fire(ConnectionTrigger.Connect);
        var overlap = Assert.Throws<InvalidOperationException>(() => nano.Fire(ConnectionTrigger.ConfigurationError));
        Assert.Equal("Connection: rows 7 and 8 both apply to ConfigurationError in Connecting; their guards must exclude each other.", overlap.Message);
        Assert.Equal(ConnectionState.Connecting, nano.State);
    }

    [Fact]
    public void Mutated_rows_are_run_as_given()
    {
        // The ability mutation tests rely on: the interpreter runs whatever rows it is given, not spec/'s.
        ConnectionTransition[] rows = ConnectionTable.CreateRows();
        rows[0] = new ConnectionTransition(ConnectionState.Idle, ConnectionTrigger.Connect, ConnectionState.Closed, ConnectionGuard.None, ConnectionEffect.StopReconnecting, "mutant");
        IConnectionMachine nano = new InterpreterMachines(rows, KeepAliveTable.CreateRows(), PublishTable.CreateRows(), null).CreateConnection(new Guards());
        Assert.Equal(ConnectionEffect.StopReconnecting, nano.Fire(ConnectionTrigger.Connect));
        Assert.Equal(ConnectionState.Closed, nano.State);
    }

    /// <summary>Runs one event on both machines; null when they agree on the outcome and on the state after it.</summary>
    private static string? Compare(Func<(string Effect, int Row)> stateless, Func<(string Effect, int Row)> nano, Func<string> statelessState, Func<string> nanoState, HashSet<int> taken)
    {
        (bool okS, (string, int) outS, string? errorS) = Run(stateless);
        (bool okN, (string, int) outN, string? errorN) = Run(nano);
        if (okS != okN || errorS != errorN)
        {
            return $"Stateless {(okS ? "took row " + outS.Item2 : "threw \"" + errorS + "\"")}, nano {(okN ? "took row " + outN.Item2 : "threw \"" + errorN + "\"")}";
        }

        if (outS != outN)
        {
            return $"Stateless took row {outS.Item2} with effect {outS.Item1}, nano row {outN.Item2} with effect {outN.Item1}";
        }

        if (okN)
        {
            taken.Add(outN.Item2);
        }

        return statelessState() == nanoState() ? null : $"Stateless is in {statelessState()}, nano in {nanoState()}";
    }

    private static (bool Ok, (string, int) Outcome, string? Error) Run(Func<(string, int)> fire)
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

    /// <summary>
    /// Steps with every field drawn over its whole range. FsCheck's own ints lie in [-size, size], whose bits from 8 up are
    /// all 0 or all 1: one flow only, and every guard false or every guard true, which never passes a guarded fork such as
    /// (Queued, Transmit) — the Publish steps never left Queued. Up to 1,000 steps: most triggers are holes in most states,
    /// and Disconnecting's rows lie five moves deep.
    /// </summary>
    public static class StepArbitraries
    {
        public static Arbitrary<int[]> Steps() => Arb.From(Gen.Choose(0, 1000).SelectMany(length =>
            (from trigger in Gen.Choose(0, 0xFF)
             from flow in Gen.Choose(0, 0xF)
             from guards in Gen.Choose(0, 0xFFFF)
             select trigger | (flow << 8) | (guards << 12)).ArrayOf(length)));
    }

    /// <summary>Guard answers from the current step's bits, for both machines alike.</summary>
    private sealed class Guards : IConnectionGuards, IKeepAliveGuards, IAuthenticationGuards
    {
        public int Step { get; set; }

        public bool Holds(AuthenticationGuard guard) => GuardBit(Step, (int)guard);

        public bool Holds(ConnectionGuard guard) => GuardBit(Step, (int)guard);

        public bool Holds(KeepAliveGuard guard) => GuardBit(Step, (int)guard);
    }

    /// <summary>One flow's external state and its guard answers.</summary>
    private sealed class Flow : IPublishFlow
    {
        public int Step { get; set; }

        public PublishState State { get; set; } = PublishTable.Initial;

        public bool Holds(PublishGuard guard) => GuardBit(Step, (int)guard);
    }

    /// <summary>One inbound QoS 2 exchange's external state and its guard answers.</summary>
    private sealed class Exchange : IReceiptFlow
    {
        public int Step { get; set; }

        public ReceiptState State { get; set; } = ReceiptTable.Initial;

        public bool Holds(ReceiptGuard guard) => GuardBit(Step, (int)guard);
    }
}
