using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Interpreter
{
    /// <summary>
    /// spec/'s AuthenticationTable as the engine's MQTT 5 enhanced authentication machine (made only for a client that names an Authentication Method, which the device does not yet offer): on each trigger picks the one row whose From and Trigger
    /// match and whose guard holds (asking the engine's <see cref="IAuthenticationGuards"/>, which judge one instant per
    /// firing), moves to its To and returns its Effect. No row, or two, is an InvalidOperationException. Single-threaded.
    /// </summary>
    public sealed class AuthenticationInterpreter : IAuthenticationMachine
    {
        private readonly AuthenticationTransition[] _rows;
        private readonly IAuthenticationGuards _guards;
        private AuthenticationState _state;

        /// <summary>Runs the spec table with guards answered by <paramref name="guards"/>.</summary>
        public AuthenticationInterpreter(IAuthenticationGuards guards)
            : this(AuthenticationTable.CreateRows(), guards)
        {
        }

        /// <summary>Runs the given rows (e.g. a mutated table in tests).</summary>
        public AuthenticationInterpreter(AuthenticationTransition[] rows, IAuthenticationGuards guards)
        {
            _rows = rows;
            _guards = guards;
            _state = AuthenticationTable.Initial;
            LastRowIndex = -1;
        }

        /// <summary>The current state.</summary>
        public AuthenticationState State
        {
            get { return _state; }
        }

        /// <summary>Index (in the rows' order) of the last row taken, or -1 before the first.</summary>
        public int LastRowIndex { get; private set; }

        /// <summary>Fires <paramref name="trigger"/>: moves to the row's To and returns its Effect.</summary>
        public AuthenticationEffect Fire(AuthenticationTrigger trigger)
        {
            AuthenticationState from = _state;
            int chosen = -1;
            for (int i = 0; i < _rows.Length; i++)
            {
                AuthenticationTransition row = _rows[i];
                if (row.From != from || row.Trigger != trigger || !(row.Guard == AuthenticationGuard.None || _guards.Holds(row.Guard)))
                {
                    continue;
                }

                if (chosen >= 0)
                {
                    throw InterpreterErrors.Ambiguous("Authentication", chosen, i, trigger.ToString(), from.ToString());
                }

                chosen = i;
            }

            if (chosen < 0)
            {
                throw InterpreterErrors.NoRow("Authentication", trigger.ToString(), from.ToString());
            }

            _state = _rows[chosen].To;
            LastRowIndex = chosen;
            return _rows[chosen].Effect;
        }
    }
}
