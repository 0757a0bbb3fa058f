using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Engine
{
    /// <summary>The engine's answers to the Connection table's guards.</summary>
    public interface IConnectionGuards
    {
        /// <summary>True when <paramref name="guard"/> holds now (<see cref="ConnectionGuard.None"/> always does).</summary>
        bool Holds(ConnectionGuard guard);
    }

    /// <summary>
    /// The Connection machine as the engine sees it: one row of spec/'s table per firing. core/ implements it with a
    /// Stateless machine configured from the rows, nano-port/ with its table interpreter.
    /// </summary>
    public interface IConnectionMachine
    {
        /// <summary>The current state.</summary>
        ConnectionState State { get; }

        /// <summary>
        /// Takes the one row for (State, <paramref name="trigger"/>) whose guard holds, moves to its To state and returns its
        /// effect, which the engine then runs. Throws InvalidOperationException when no row or more than one applies.
        /// </summary>
        ConnectionEffect Fire(ConnectionTrigger trigger);
    }
}
