using StateMachineMqtt.Machines;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Verification.ModelChecking;

/// <summary>
/// Single-row mutations of a fresh copy of a spec table, for tests that show the checker has teeth. The result is a
/// <see cref="MachineTables"/> copy: the engine runs it through the same machines as the real tables (core's
/// StatelessMachines when a trace is replayed).
/// </summary>
internal static class RowMutation
{
    /// <summary>The tables with the Connection row for (from, trigger) given a new target and effect.</summary>
    public static MachineTables Connection(ConnectionState from, ConnectionTrigger trigger, ConnectionState to, ConnectionEffect effect, ConnectionGuard guard = ConnectionGuard.None)
    {
        var rows = ConnectionTable.CreateRows();
        bool Match(ConnectionTransition r) => r.From == from && r.Trigger == trigger && (guard == ConnectionGuard.None || r.Guard == guard);
        int i = Single(Array.FindAll(rows, Match).Length, Array.FindIndex(rows, Match));
        rows[i] = new ConnectionTransition(from, trigger, to, rows[i].Guard, effect, "mutated");
        return MachineTables.Spec with { Connection = SpecTables.Connection(rows) };
    }

    /// <summary>The tables with the KeepAlive row for (from, trigger, guard) given a new target and effect.</summary>
    public static MachineTables KeepAlive(KeepAliveState from, KeepAliveTrigger trigger, KeepAliveGuard guard, KeepAliveState to, KeepAliveEffect effect)
    {
        var rows = KeepAliveTable.CreateRows();
        bool Match(KeepAliveTransition r) => r.From == from && r.Trigger == trigger && r.Guard == guard;
        int i = Single(Array.FindAll(rows, Match).Length, Array.FindIndex(rows, Match));
        rows[i] = new KeepAliveTransition(from, trigger, to, guard, effect, "mutated");
        return MachineTables.Spec with { KeepAlive = SpecTables.KeepAlive(rows) };
    }

    /// <summary>The tables with the KeepAlive row for (from, trigger, guard) removed: a hole.</summary>
    public static MachineTables WithoutKeepAlive(KeepAliveState from, KeepAliveTrigger trigger, KeepAliveGuard guard) =>
        MachineTables.Spec with { KeepAlive = SpecTables.KeepAlive([.. KeepAliveTable.CreateRows().Where(r => !(r.From == from && r.Trigger == trigger && r.Guard == guard))]) };

    /// <summary>The tables with the Publish row for (from, trigger, guard) given a new target and effect.</summary>
    public static MachineTables Publish(PublishState from, PublishTrigger trigger, PublishState to, PublishEffect effect, PublishGuard guard = PublishGuard.None)
    {
        var rows = PublishTable.CreateRows();
        bool Match(PublishTransition r) => r.From == from && r.Trigger == trigger && r.Guard == guard;
        int i = Single(Array.FindAll(rows, Match).Length, Array.FindIndex(rows, Match));
        rows[i] = new PublishTransition(from, trigger, to, guard, effect, "mutated");
        return MachineTables.Spec with { Publish = SpecTables.Publish(rows) };
    }

    /// <summary>The tables with the inbound QoS 2 (Receipt) row for (from, trigger, guard) given a new target and effect.</summary>
    public static MachineTables Receipt(ReceiptState from, ReceiptTrigger trigger, ReceiptState to, ReceiptEffect effect, ReceiptGuard guard = ReceiptGuard.None)
    {
        var rows = ReceiptTable.CreateRows();
        bool Match(ReceiptTransition r) => r.From == from && r.Trigger == trigger && r.Guard == guard;
        int i = Single(Array.FindAll(rows, Match).Length, Array.FindIndex(rows, Match));
        rows[i] = new ReceiptTransition(from, trigger, to, guard, effect, "mutated");
        return MachineTables.Spec with { Receipt = SpecTables.Receipt(rows) };
    }

    private static int Single(int matches, int index) => matches == 1
        ? index
        : throw new ArgumentException($"The mutation must name exactly one row; {matches} match. Give the guard too.");
}
