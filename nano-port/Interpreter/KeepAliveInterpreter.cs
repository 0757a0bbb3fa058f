using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Interpreter
{
    /// <summary>
    /// spec/'s KeepAliveTable as the engine's KeepAlive machine: on each trigger picks the one row whose From and Trigger
    /// match and whose guard holds (asking the engine's <see cref="IKeepAliveGuards"/>, which judge one instant per
    /// firing), moves to its To and returns its Effect. No row, or two, is an InvalidOperationException. Single-threaded.
    /// </summary>
    public sealed class KeepAliveInterpreter : IKeepAliveMachine
    {
        private readonly KeepAliveTransition[] _rows;
        private readonly IKeepAliveGuards _guards;
        private KeepAliveState _state;

        /// <summary>Runs the spec table with guards answered by <paramref name="guards"/>.</summary>
        public KeepAliveInterpreter(IKeepAliveGuards guards)
            : this(KeepAliveTable.CreateRows(), guards)
        {
        }

        /// <summary>Runs the given rows (e.g. a mutated table in tests).</summary>
        public KeepAliveInterpreter(KeepAliveTransition[] rows, IKeepAliveGuards guards)
        {
            _rows = rows;
            _guards = guards;
            _state = KeepAliveTable.Initial;
            LastRowIndex = -1;
        }

        /// <summary>The current state.</summary>
        public KeepAliveState State
        {
            get { return _state; }
        }

        /// <summary>Index (in the rows' order) of the last row taken, or -1 before the first.</summary>
        public int LastRowIndex { get; private set; }

        /// <summary>Fires <paramref name="trigger"/>: moves to the row's To and returns its Effect.</summary>
        public KeepAliveEffect Fire(KeepAliveTrigger trigger)
        {
            KeepAliveState from = _state;
            int chosen = -1;
            for (int i = 0; i < _rows.Length; i++)
            {
                KeepAliveTransition row = _rows[i];
                if (row.From != from || row.Trigger != trigger || !(row.Guard == KeepAliveGuard.None || _guards.Holds(row.Guard)))
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

            _state = _rows[chosen].To;
            LastRowIndex = chosen;
            return _rows[chosen].Effect;
        }
    }
}
