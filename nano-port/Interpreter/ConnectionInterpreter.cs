using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Interpreter
{
    /// <summary>
    /// Runs spec/'s ConnectionTable: on each trigger picks the one row whose From and Trigger match and whose guard holds,
    /// moves to its To and returns it, so the owner runs its Effect. No row, or two, is an InvalidOperationException.
    /// Single-threaded: one owner (the client's poll loop) fires it.
    /// </summary>
    public sealed class ConnectionInterpreter
    {
        private readonly ConnectionTransition[] _rows;
        private readonly IConnectionGuards _guards;

        /// <summary>Runs the spec table with guards bound by <paramref name="guards"/>.</summary>
        public ConnectionInterpreter(IConnectionGuards guards)
            : this(ConnectionTable.CreateRows(), guards)
        {
        }

        /// <summary>Runs the given rows (e.g. a mutated table in tests).</summary>
        public ConnectionInterpreter(ConnectionTransition[] rows, IConnectionGuards guards)
        {
            _rows = rows;
            _guards = guards;
            State = ConnectionTable.Initial;
        }

        /// <summary>The current state.</summary>
        public ConnectionState State { get; private set; }

        /// <summary>Index (in CreateRows order) of the last row taken, or -1 before the first.</summary>
        public int LastRowIndex { get; private set; } = -1;

        /// <summary>Fires <paramref name="trigger"/>: moves to the row's To and returns the row, whose Effect the owner runs.</summary>
        public ConnectionTransition Fire(ConnectionTrigger trigger)
        {
            ConnectionState from = State;
            int chosen = -1;
            for (int i = 0; i < _rows.Length; i++)
            {
                ConnectionTransition row = _rows[i];
                if (row.From != from || row.Trigger != trigger || !GuardHolds(row.Guard))
                {
                    continue;
                }

                if (chosen >= 0)
                {
                    throw InterpreterErrors.Ambiguous("Connection", chosen, i, trigger.ToString(), from.ToString());
                }

                chosen = i;
            }

            if (chosen < 0)
            {
                throw InterpreterErrors.NoRow("Connection", trigger.ToString(), from.ToString());
            }

            State = _rows[chosen].To;
            LastRowIndex = chosen;
            return _rows[chosen];
        }

        private bool GuardHolds(ConnectionGuard guard)
        {
            return guard == ConnectionGuard.None || _guards.Holds(guard);
        }
    }
}
