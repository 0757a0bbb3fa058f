namespace StateMachineMqtt.PropertyTests.Simulation.Network;

/// <summary>How the simulated network answers a connect attempt.</summary>
public enum ConnectFault
{
    /// <summary>Connects reach the broker.</summary>
    None,

    /// <summary>No route: ConnectAsync throws SocketException with <see cref="SimulatedNetwork.NetworkDownError"/> (default NetworkUnreachable).</summary>
    NetworkDown,

    /// <summary>The host answers with RST: SocketException(ConnectionRefused).</summary>
    Refused,

    /// <summary>SYNs vanish: ConnectAsync never completes until its CancellationToken is cancelled.</summary>
    Blackholed,

    /// <summary>Name resolution fails: SocketException(HostNotFound).</summary>
    HostNotFound,
}
