using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Interpreter
{
    /// <summary>
    /// Runs spec/'s KeepAliveTable: on each trigger picks the one row whose From and Trigger match and whose guard holds,
    /// moves to its To and returns it, so the owner runs its Effect. No row, or two, is an InvalidOperationException.
    /// Single-threaded: one owner (the client's poll loop) fires it.
    /// </summary>
    public sealed class KeepAliveInterpreter
    {
        private readonly KeepAliveTransition[] _rows;
        private readonly IKeepAliveGuards _guards;

        /// <summary>Runs the spec table with guards bound by <paramref name="guards"/>.</summary>
        public KeepAliveInterpreter(IKeepAliveGuards guards)
            : this(KeepAliveTable.CreateRows(), guards)
        {
        }

        /// <summary>Runs the given rows (e.g. a mutated table in tests).</summary>
        public KeepAliveInterpreter(KeepAliveTransition[] rows, IKeepAliveGuards guards)
        {
            _rows = rows;
            _guards = guards;
            State = KeepAliveTable.Initial;
        }

        /// <summary>The current state.</summary>
        public KeepAliveState State { get; private set; }

        /// <summary>Index (in CreateRows order) of the last row taken, or -1 before the first.</summary>
        public int LastRowIndex { get; private set; } = -1;

        /// <summary>Fires <paramref name="trigger"/>: moves to the row's To and returns the row, whose Effect the owner runs.</summary>
        public KeepAliveTransition Fire(KeepAliveTrigger trigger)
        {
            KeepAliveState from = State;
            int chosen = -1;
            for (int i = 0; i < _rows.Length; i++)
            {
                KeepAliveTransition row = _rows[i];
                if (row.From != from || row.Trigger != trigger || !GuardHolds(row.Guard))
                {
                    continue;
                }

                if (chosen >= 0)
                {
                    throw InterpreterErrors.Ambiguous("KeepAlive", chosen, i, trigger.ToString(), from.ToString());
                }

                chosen = i;
            }

            if (chosen < 0)
            {
                throw InterpreterErrors.NoRow("KeepAlive", trigger.ToString(), from.ToString());
            }

            State = _rows[chosen].To;
            LastRowIndex = chosen;
            return _rows[chosen];
        }

        private bool GuardHolds(KeepAliveGuard guard)
        {
            return guard == KeepAliveGuard.None || _guards.Holds(guard);
        }
    }
}
