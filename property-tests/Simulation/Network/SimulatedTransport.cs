using StateMachineMqtt.Transport;

namespace StateMachineMqtt.PropertyTests.Simulation.Network;

/// <summary>An <see cref="IMqttTransport"/> over a <see cref="SimulatedNetwork"/>: the client's way onto the simulated network.</summary>
public sealed class SimulatedTransport : IMqttTransport
{
    private readonly SimulatedNetwork _network;

    internal SimulatedTransport(SimulatedNetwork network, string name)
    {
        _network = network;
        Name = name;
    }

    /// <summary>Label of this transport's links in the log.</summary>
    public string Name { get; }

    /// <summary>Links this transport opened, in order.</summary>
    public IEnumerable<SimulatedLink> Links => _network.Links.Where(l => l.TransportName == Name);

    /// <inheritdoc />
    public ValueTask<IMqttLink> ConnectAsync(CancellationToken cancellationToken) => _network.ConnectAsync(Name, cancellationToken);
}
