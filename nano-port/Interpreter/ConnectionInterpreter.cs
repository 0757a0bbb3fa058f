using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Interpreter
{
    /// <summary>
    /// spec/'s ConnectionTable as the engine's Connection machine: on each trigger picks the one row whose From and Trigger
    /// match and whose guard holds (asking the engine's <see cref="IConnectionGuards"/>), moves to its To and returns its
    /// Effect, which the engine runs. No row, or two, is an InvalidOperationException worded as core's. Single-threaded.
    /// </summary>
    public sealed class ConnectionInterpreter : IConnectionMachine
    {
        private readonly ConnectionTransition[] _rows;
        private readonly IConnectionGuards _guards;
        private ConnectionState _state;

        /// <summary>Runs the spec table with guards answered by <paramref name="guards"/>.</summary>
        public ConnectionInterpreter(IConnectionGuards guards)
            : this(ConnectionTable.CreateRows(), guards)
        {
        }

        /// <summary>Runs the given rows (e.g. a mutated table in tests).</summary>
        public ConnectionInterpreter(ConnectionTransition[] rows, IConnectionGuards guards)
        {
            _rows = rows;
            _guards = guards;
            _state = ConnectionTable.Initial;
            LastRowIndex = -1;
        }

        /// <summary>The current state.</summary>
        public ConnectionState State
        {
            get { return _state; }
        }

        /// <summary>Index (in the rows' order) of the last row taken, or -1 before the first.</summary>
        public int LastRowIndex { get; private set; }

        /// <summary>Fires <paramref name="trigger"/>: moves to the row's To and returns its Effect.</summary>
        public ConnectionEffect Fire(ConnectionTrigger trigger)
        {
            ConnectionState from = _state;
            int chosen = -1;
            for (int i = 0; i < _rows.Length; i++)
            {
                ConnectionTransition row = _rows[i];
                if (row.From != from || row.Trigger != trigger || !(row.Guard == ConnectionGuard.None || _guards.Holds(row.Guard)))
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

            _state = _rows[chosen].To;
            LastRowIndex = chosen;
            return _rows[chosen].Effect;
        }
    }
}
