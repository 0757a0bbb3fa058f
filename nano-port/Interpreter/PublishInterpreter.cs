using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Interpreter
{
    /// <summary>
    /// Runs spec/'s PublishTable for any number of messages: each message keeps its own state, so one interpreter
    /// (one copy of the rows) serves them all. Picks the one row whose From, Trigger and guard match and returns it;
    /// the caller stores the row's To and runs its Effect. No row, or two, is an InvalidOperationException.
    /// </summary>
    public sealed class PublishInterpreter
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
        }

        /// <summary>Index (in CreateRows order) of the last row taken, or -1 before the first.</summary>
        public int LastRowIndex { get; private set; } = -1;

        /// <summary>Picks the row for <paramref name="trigger"/> on a message in <paramref name="from"/>, with that message's guards.</summary>
        public PublishTransition Fire(PublishState from, PublishTrigger trigger, IPublishGuards guards)
        {
            int chosen = -1;
            for (int i = 0; i < _rows.Length; i++)
            {
                PublishTransition row = _rows[i];
                if (row.From != from || row.Trigger != trigger || !(row.Guard == PublishGuard.None || guards.Holds(row.Guard)))
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

            LastRowIndex = chosen;
            return _rows[chosen];
        }
    }
}
