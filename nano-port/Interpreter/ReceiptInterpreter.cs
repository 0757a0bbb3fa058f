using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Interpreter
{
    /// <summary>
    /// spec/'s ReceiptTable as the engine's one inbound QoS 2 machine, run on each exchange's own state as
    /// <see cref="PublishInterpreter"/> runs the Publish table (nano's mscorlib has no generics to share the loop). No row,
    /// or two, is an InvalidOperationException and leaves the exchange's state as it was.
    /// </summary>
    public sealed class ReceiptInterpreter : IReceiptMachine
    {
        private readonly ReceiptTransition[] _rows;

        /// <summary>Runs the given rows (spec/'s, or a mutated table in tests).</summary>
        public ReceiptInterpreter(ReceiptTransition[] rows)
        {
            _rows = rows;
            LastRowIndex = -1;
        }

        /// <summary>Index (in the rows' order) of the last row taken, or -1 before the first.</summary>
        public int LastRowIndex { get; private set; }

        /// <summary>Fires <paramref name="trigger"/> on <paramref name="flow"/>: moves its state to the row's To and returns its Effect.</summary>
        public ReceiptEffect Fire(IReceiptFlow flow, ReceiptTrigger trigger)
        {
            ReceiptState from = flow.State;
            int chosen = -1;
            for (int i = 0; i < _rows.Length; i++)
            {
                ReceiptTransition row = _rows[i];
                if (row.From != from || row.Trigger != trigger || !(row.Guard == ReceiptGuard.None || flow.Holds(row.Guard)))
                {
                    continue;
                }

                if (chosen >= 0)
                {
                    throw InterpreterErrors.Ambiguous("Receipt", chosen, i, trigger.ToString(), from.ToString());
                }

                chosen = i;
            }

            if (chosen < 0)
            {
                throw InterpreterErrors.NoRow("Receipt", trigger.ToString(), from.ToString());
            }

            flow.State = _rows[chosen].To;
            LastRowIndex = chosen;
            return _rows[chosen].Effect;
        }
    }
}
