using System;

namespace StateMachineMqtt.Nano.Interpreter
{
    /// <summary>
    /// The two ways a table can fail an event, worded as core/Machines/TableMachine words them, so a conformance
    /// test sees the same failure from both runtimes.
    /// </summary>
    public static class InterpreterErrors
    {
        /// <summary>No row handles the trigger in the state: a hole in the table.</summary>
        public static InvalidOperationException NoRow(string machine, string trigger, string state)
        {
            return new InvalidOperationException(machine + ": no row handles " + trigger + " in state " + state + ". The table in spec/ must say what happens.");
        }

        /// <summary>Two rows apply at once: their guards overlap.</summary>
        public static InvalidOperationException Ambiguous(string machine, int first, int second, string trigger, string state)
        {
            return new InvalidOperationException(machine + ": rows " + first.ToString() + " and " + second.ToString() + " both apply to " + trigger + " in " + state + "; their guards must exclude each other.");
        }
    }
}
