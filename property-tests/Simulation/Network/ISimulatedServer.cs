namespace StateMachineMqtt.PropertyTests.Simulation.Network;

/// <summary>What the simulated network connects clients to (the simulated broker).</summary>
public interface ISimulatedServer
{
    /// <summary>False while the server is stopped: connects are refused.</summary>
    bool IsAccepting { get; }

    /// <summary>Takes the broker end of a newly opened link.</summary>
    void Accept(SimulatedLink link);
}
