using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Engine
{
    /// <summary>The engine's answers to the enhanced authentication table's guards.</summary>
    public interface IAuthenticationGuards
    {
        /// <summary>True when <paramref name="guard"/> holds now.</summary>
        bool Holds(AuthenticationGuard guard);
    }

    /// <summary>The MQTT 5 enhanced authentication machine as the engine sees it (see <see cref="IConnectionMachine"/>).</summary>
    public interface IAuthenticationMachine
    {
        /// <summary>The current state.</summary>
        AuthenticationState State { get; }

        /// <summary>Takes the one applicable row, moves to its To state and returns its effect.</summary>
        AuthenticationEffect Fire(AuthenticationTrigger trigger);
    }
}
