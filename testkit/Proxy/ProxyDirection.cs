namespace StateMachineMqtt.TestKit.Proxy;

/// <summary>Which way bytes flow through the proxy; flags, so faults can hit one way or both.</summary>
[Flags]
public enum ProxyDirection
{
    /// <summary>Neither.</summary>
    None = 0,
    /// <summary>From the MQTT client to the broker (CONNECT, PUBLISH, PINGREQ…).</summary>
    ClientToBroker = 1,
    /// <summary>From the broker to the client (CONNACK, PUBACK, PINGRESP…).</summary>
    BrokerToClient = 2,
    /// <summary>Both ways.</summary>
    Both = ClientToBroker | BrokerToClient,
}

/// <summary>Which of a connection's two sockets a fault closes; flags.</summary>
[Flags]
public enum ProxySide
{
    /// <summary>Neither.</summary>
    None = 0,
    /// <summary>The socket the MQTT client connected to.</summary>
    Client = 1,
    /// <summary>The proxy's socket to the broker.</summary>
    Broker = 2,
    /// <summary>Both sockets.</summary>
    Both = Client | Broker,
}
