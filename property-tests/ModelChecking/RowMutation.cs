using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>Single-row mutations of a fresh copy of a spec table, for tests that show the checker has teeth.</summary>
public static class RowMutation
{
    /// <summary>The Connection rows with the row for (from, trigger) given a new target and effect.</summary>
    public static ConnectionTransition[] Connection(ConnectionState from, ConnectionTrigger trigger, ConnectionState to, ConnectionEffect effect)
    {
        var rows = ConnectionTable.CreateRows();
        int i = Single(Array.FindAll(rows, r => r.From == from && r.Trigger == trigger).Length, Array.FindIndex(rows, r => r.From == from && r.Trigger == trigger));
        rows[i] = new ConnectionTransition(from, trigger, to, rows[i].Guard, effect, "mutated");
        return rows;
    }

    /// <summary>The KeepAlive rows with the row for (from, trigger, guard) given a new target and effect.</summary>
    public static KeepAliveTransition[] KeepAlive(KeepAliveState from, KeepAliveTrigger trigger, KeepAliveGuard guard, KeepAliveState to, KeepAliveEffect effect)
    {
        var rows = KeepAliveTable.CreateRows();
        bool Match(KeepAliveTransition r) => r.From == from && r.Trigger == trigger && r.Guard == guard;
        int i = Single(Array.FindAll(rows, Match).Length, Array.FindIndex(rows, Match));
        rows[i] = new KeepAliveTransition(from, trigger, to, guard, effect, "mutated");
        return rows;
    }

    /// <summary>The Publish rows with the row for (from, trigger, guard) given a new target and effect.</summary>
    public static PublishTransition[] Publish(PublishState from, PublishTrigger trigger, PublishState to, PublishEffect effect, PublishGuard guard = PublishGuard.None)
    {
        var rows = PublishTable.CreateRows();
        bool Match(PublishTransition r) => r.From == from && r.Trigger == trigger && r.Guard == guard;
        int i = Single(Array.FindAll(rows, Match).Length, Array.FindIndex(rows, Match));
        rows[i] = new PublishTransition(from, trigger, to, guard, effect, "mutated");
        return rows;
    }

    private static int Single(int matches, int index) => matches == 1
        ? index
        : throw new ArgumentException($"The mutation must name exactly one row; {matches} match. Give the guard too.");
}
