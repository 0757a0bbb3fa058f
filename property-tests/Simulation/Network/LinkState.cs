namespace StateMachineMqtt.PropertyTests.Simulation.Network;

/// <summary>The state of one simulated TCP link.</summary>
public enum LinkState
{
    /// <summary>Bytes flow both ways.</summary>
    Open,

    /// <summary>Bytes silently stop flowing both ways; writes still succeed; no error ever surfaces.</summary>
    HalfOpen,

    /// <summary>Closed with FIN by the network or by one end: readers see end of stream, later writes are discarded.</summary>
    Closed,

    /// <summary>Reset (RST): reads and writes on both ends fail with SocketException(ConnectionReset).</summary>
    Reset,
}
