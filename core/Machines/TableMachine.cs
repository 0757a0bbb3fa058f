using Stateless;

namespace StateMachineMqtt.Machines;

/// <summary>
/// A Stateless machine configured from a spec table, and nothing else. Each row becomes a guarded
/// Permit (or PermitReentry when From == To). Firing picks the one row whose guard holds, fires Stateless,
/// checks Stateless landed where the row says, and returns the row so the owner can run its effect.
/// Not thread-safe: one owner (the connection loop) fires it, as Stateless requires.
/// </summary>
internal sealed class TableMachine<TState, TTrigger, TGuard, TEffect>
    where TState : struct, Enum
    where TTrigger : struct, Enum
    where TGuard : struct, Enum
    where TEffect : struct, Enum
{
    private readonly TableRow<TState, TTrigger, TGuard, TEffect>[] _rows;
    private readonly Func<TGuard, bool> _guard;
    private readonly Action<TakenTransition>? _observer;
    private readonly TGuard _noGuard;
    private readonly TEffect _noEffect;

    /// <summary>Configures the machine from <paramref name="rows"/>.</summary>
    /// <param name="name">Machine name, for messages and traces.</param>
    /// <param name="rows">The table.</param>
    /// <param name="initial">Initial state (ignored when external state storage is given).</param>
    /// <param name="guard">Binds each guard name to code; the default value of TGuard ("None") is always true.</param>
    /// <param name="observer">Told of every transition taken.</param>
    /// <param name="stateAccessor">External state storage getter (e.g. a message's state field), or null.</param>
    /// <param name="stateMutator">External state storage setter, or null.</param>
    public TableMachine(
        string name,
        IReadOnlyList<TableRow<TState, TTrigger, TGuard, TEffect>> rows,
        TState initial,
        Func<TGuard, bool> guard,
        Action<TakenTransition>? observer = null,
        Func<TState>? stateAccessor = null,
        Action<TState>? stateMutator = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Name = name;
        _rows = [.. rows];
        _guard = guard;
        _observer = observer;
        _noGuard = default;
        _noEffect = default;
        Stateless = stateAccessor is not null && stateMutator is not null
            ? new StateMachine<TState, TTrigger>(stateAccessor, stateMutator, FiringMode.Immediate)
            : new StateMachine<TState, TTrigger>(initial, FiringMode.Immediate);
        foreach (var row in _rows)
        {
            Configure(row);
        }
    }

    /// <summary>Machine name.</summary>
    public string Name { get; }

    /// <summary>Current state.</summary>
    public TState State => Stateless.State;

    /// <summary>The underlying Stateless machine (for diagrams and inspection; fire through <see cref="Fire"/>).</summary>
    public StateMachine<TState, TTrigger> Stateless { get; }

    /// <summary>The table this machine was built from.</summary>
    public IReadOnlyList<TableRow<TState, TTrigger, TGuard, TEffect>> Rows => _rows;

    /// <summary>
    /// Fires <paramref name="trigger"/> and returns the row taken. Throws InvalidOperationException when no row, or more than
    /// one, applies — a hole or an ambiguity in the table, which the tests exist to find.
    /// </summary>
    public TableRow<TState, TTrigger, TGuard, TEffect> Fire(TTrigger trigger)
    {
        TState from = State;
        var row = Select(from, trigger);
        Stateless.Fire(trigger);
        if (!EqualityComparer<TState>.Default.Equals(Stateless.State, row.To))
        {
            throw new InvalidOperationException($"{Name}: Stateless moved {from} --{trigger}--> {Stateless.State}, but row {row.Index} says {row.To}.");
        }

        _observer?.Invoke(new TakenTransition(Name, row.Index, from.ToString(), trigger.ToString(), row.To.ToString()));
        return row;
    }

    /// <summary>True when some row handles <paramref name="trigger"/> in the current state with its guard holding.</summary>
    public bool CanFire(TTrigger trigger)
    {
        foreach (var row in _rows)
        {
            if (Applies(row, State, trigger))
            {
                return true;
            }
        }

        return false;
    }

    private TableRow<TState, TTrigger, TGuard, TEffect> Select(TState from, TTrigger trigger)
    {
        TableRow<TState, TTrigger, TGuard, TEffect>? chosen = null;
        foreach (var row in _rows)
        {
            if (!Applies(row, from, trigger))
            {
                continue;
            }

            if (chosen is { } other)
            {
                throw new InvalidOperationException($"{Name}: rows {other.Index} and {row.Index} both apply to {trigger} in {from}; their guards must exclude each other.");
            }

            chosen = row;
        }

        return chosen ?? throw new InvalidOperationException($"{Name}: no row handles {trigger} in state {from}. The table in spec/ must say what happens.");
    }

    private bool Applies(TableRow<TState, TTrigger, TGuard, TEffect> row, TState from, TTrigger trigger) =>
        EqualityComparer<TState>.Default.Equals(row.From, from)
        && EqualityComparer<TTrigger>.Default.Equals(row.Trigger, trigger)
        && GuardHolds(row.Guard);

    private bool GuardHolds(TGuard guard) => EqualityComparer<TGuard>.Default.Equals(guard, _noGuard) || _guard(guard);

    private void Configure(TableRow<TState, TTrigger, TGuard, TEffect> row)
    {
        var config = Stateless.Configure(row.From);
        bool guarded = !EqualityComparer<TGuard>.Default.Equals(row.Guard, _noGuard);
        bool hasEffect = !EqualityComparer<TEffect>.Default.Equals(row.Effect, _noEffect);
        // Stateless's diagrams print the guard description; carrying the effect there keeps it visible.
        string label = (guarded, hasEffect) switch
        {
            (true, true) => $"{row.Guard} / {row.Effect}",
            (true, false) => row.Guard.ToString(),
            (false, true) => $"/ {row.Effect}",
            _ => "",
        };
        bool selfLoop = EqualityComparer<TState>.Default.Equals(row.From, row.To);
        if (label.Length == 0)
        {
            // Nothing to show or check: a bare Permit keeps the diagrams free of empty "[]" labels.
            _ = selfLoop ? config.PermitReentry(row.Trigger) : config.Permit(row.Trigger, row.To);
            return;
        }

        Func<bool> holds = () => GuardHolds(row.Guard);
        if (selfLoop)
        {
            config.PermitReentryIf(row.Trigger, holds, label);
        }
        else
        {
            config.PermitIf(row.Trigger, row.To, holds, label);
        }
    }
}
