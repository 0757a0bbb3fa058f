using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Engine
{
    /// <summary>The engine's answers to the KeepAlive table's guards, judged on one instant per firing.</summary>
    public interface IKeepAliveGuards
    {
        /// <summary>True when <paramref name="guard"/> holds at the firing's instant.</summary>
        bool Holds(KeepAliveGuard guard);
    }

    /// <summary>The KeepAlive machine as the engine sees it (see <see cref="IConnectionMachine"/>).</summary>
    public interface IKeepAliveMachine
    {
        /// <summary>The current state.</summary>
        KeepAliveState State { get; }

        /// <summary>Takes the one applicable row, moves to its To state and returns its effect.</summary>
        KeepAliveEffect Fire(KeepAliveTrigger trigger);
    }
}
