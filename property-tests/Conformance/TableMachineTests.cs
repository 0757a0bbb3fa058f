using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StateMachineMqtt.Machines;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Conformance;

/// <summary>The Stateless machines built from spec/ take exactly the table's rows, and say so loudly when the table has a hole.</summary>
public class TableMachineTests
{
    private enum S { A, B }
    private enum T { Go, Stay, Missing }
    private enum G { None, Left, Right }
    private enum E { None, Move, Keep }

    private static TableRow<S, T, G, E>[] SmallTable() =>
    [
        new(0, S.A, T.Go, S.B, G.Left, E.Move, "left"),
        new(1, S.A, T.Go, S.A, G.Right, E.Keep, "right"),
        new(2, S.B, T.Stay, S.B, G.None, E.None, "stay"),
    ];

    [Fact]
    public void Guards_choose_between_rows_and_the_row_taken_is_returned()
    {
        bool left = true;
        var taken = new List<TakenTransition>();
        var machine = new TableMachine<S, T, G, E>("Small", SmallTable(), S.A, g => g == G.Left ? left : !left, taken.Add);

        left = false;
        var row = machine.Fire(T.Go);
        Assert.Equal(1, row.Index);
        Assert.Equal(S.A, machine.State);

        left = true;
        row = machine.Fire(T.Go);
        Assert.Equal(E.Move, row.Effect);
        Assert.Equal(S.B, machine.State);
        Assert.Equal([1, 0], taken.Select(t => t.RowIndex));
        Assert.Equal(new TakenTransition("Small", 0, "A", "Go", "B"), taken[1]);
    }

    [Fact]
    public void A_trigger_no_row_handles_is_reported_as_a_hole_in_the_table()
    {
        var machine = new TableMachine<S, T, G, E>("Small", SmallTable(), S.A, _ => true);
        var error = Assert.Throws<InvalidOperationException>(() => machine.Fire(T.Stay));
        Assert.Contains("no row handles Stay in state A", error.Message, StringComparison.Ordinal);
        Assert.Equal(S.A, machine.State);
    }

    [Fact]
    public void Guards_that_overlap_are_reported_as_an_ambiguity()
    {
        var machine = new TableMachine<S, T, G, E>("Small", SmallTable(), S.A, _ => true);
        var error = Assert.Throws<InvalidOperationException>(() => machine.Fire(T.Go));
        Assert.Contains("rows 0 and 1 both apply", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void External_state_storage_is_used_when_given()
    {
        S stored = S.B;
        var machine = new TableMachine<S, T, G, E>("Small", SmallTable(), S.A, _ => true, null, () => stored, s => stored = s);
        Assert.Equal(S.B, machine.State);
        machine.Fire(T.Stay);
        Assert.Equal(S.B, stored);
    }

    /// <summary>
    /// Conformance: on any trigger sequence with any guard values, the Stateless machine configured from the Connection table
    /// moves exactly as a direct reading of the table says (the pure model), and refuses exactly what the table does not handle.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property Connection_machine_moves_exactly_as_the_table_says(int[] steps)
    {
        var rows = SpecTables.Connection();
        bool hasConnected = false;
        bool sessionInDoubt = false;
        bool boundReached = false;
        bool Holds(ConnectionGuard g) => g switch
        {
            ConnectionGuard.FirstConnectBoundReached => boundReached,
            ConnectionGuard.RetryAllowed => !boundReached,
            ConnectionGuard.NeverConnected => !hasConnected,
            ConnectionGuard.HasConnectedBefore => hasConnected,
            ConnectionGuard.SessionTrusted => !sessionInDoubt,
            ConnectionGuard.SessionInDoubt => sessionInDoubt,
            _ => true,
        };

        var machine = MachineFactory.Connection(Holds);
        ConnectionState model = ConnectionTable.Initial;
        var triggers = Enum.GetValues<ConnectionTrigger>();
        foreach (int step in steps ?? [])
        {
            ConnectionTrigger trigger = triggers[Math.Abs(step % triggers.Length)];
            hasConnected = (step & 0x100) != 0;
            sessionInDoubt = (step & 0x200) != 0;
            boundReached = (step & 0x400) != 0;
            // The model reads each guard's meaning from its name, independently of the binding the machine was given.
            var applicable = rows.Where(r => r.From == model && r.Trigger == trigger && r.Guard switch
            {
                ConnectionGuard.None => true,
                ConnectionGuard.HasConnectedBefore or ConnectionGuard.NeverConnected => (r.Guard == ConnectionGuard.HasConnectedBefore) == hasConnected,
                ConnectionGuard.RetryAllowed or ConnectionGuard.FirstConnectBoundReached => (r.Guard == ConnectionGuard.FirstConnectBoundReached) == boundReached,
                _ => (r.Guard == ConnectionGuard.SessionInDoubt) == sessionInDoubt,
            }).ToArray();
            if (applicable.Length == 0)
            {
                if (Record.Exception(() => machine.Fire(trigger)) is not InvalidOperationException)
                {
                    return false.Label($"{trigger} in {model} has no row but the machine accepted it");
                }

                continue;
            }

            var row = machine.Fire(trigger);
            model = applicable.Single().To;
            if (row.Index != applicable.Single().Index || machine.State != model)
            {
                return false.Label($"{trigger}: machine took row {row.Index} to {machine.State}, table says row {applicable.Single().Index} to {model}");
            }
        }

        return true.ToProperty();
    }
}
