using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Interpreter
{
    /// <summary>
    /// spec/'s PublishTable as the engine's one Publish machine: configured once (one copy of the rows) and run on each
    /// flow's own state, which the flow holds (external state storage, as core's Stateless machine does). Picks the one
    /// row for (flow.State, trigger) whose guard the flow says holds, moves the flow to its To and returns its Effect. No
    /// row, or two, is an InvalidOperationException and leaves the flow's state as it was.
    /// </summary>
    public sealed class PublishInterpreter : IPublishMachine
    {
        private readonly PublishTransition[] _rows;

        /// <summary>Runs the spec table.</summary>
        public PublishInterpreter()
            : this(PublishTable.CreateRows())
        {
        }

        /// <summary>Runs the given rows (e.g. a mutated table in tests).</summary>
        public PublishInterpreter(PublishTransition[] rows)
        {
            _rows = rows;
            LastRowIndex = -1;
        }

        /// <summary>Index (in the rows' order) of the last row taken, or -1 before the first.</summary>
        public int LastRowIndex { get; private set; }

        /// <summary>Fires <paramref name="trigger"/> on <paramref name="flow"/>: moves its state to the row's To and returns its Effect.</summary>
        public PublishEffect Fire(IPublishFlow flow, PublishTrigger trigger)
        {
            PublishState from = flow.State;
            int chosen = -1;
            for (int i = 0; i < _rows.Length; i++)
            {
                PublishTransition row = _rows[i];
                if (row.From != from || row.Trigger != trigger || !(row.Guard == PublishGuard.None || flow.Holds(row.Guard)))
                {
                    continue;
                }

                if (chosen >= 0)
                {
                    throw InterpreterErrors.Ambiguous("Publish", chosen, i, trigger.ToString(), from.ToString());
                }

                chosen = i;
            }

            if (chosen < 0)
            {
                throw InterpreterErrors.NoRow("Publish", trigger.ToString(), from.ToString());
            }

            flow.State = _rows[chosen].To;
            LastRowIndex = chosen;
            return _rows[chosen].Effect;
        }
    }
}
