namespace StateMachineMqtt.TestKit.Soak;

/// <summary>The broker a soak run talks to and crashes: listening on 127.0.0.1, restartable on the same port and persistence.</summary>
public interface ISoakBroker
{
    /// <summary>The loopback port; the same after every restart.</summary>
    int Port { get; }

    /// <summary>Crashes the broker (SIGKILL): nothing unsaved survives.</summary>
    Task KillAsync();

    /// <summary>Starts the broker again on the same port and persistence; returns once it accepts connections.</summary>
    Task RestartAsync(CancellationToken cancellationToken);
}
