using MQTTnet.Server;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Hosting;

/// <summary>
/// An in-process broker that holds every CONNACK until the test opens the gate, so "not connected yet" lasts exactly as
/// long as the test says, whatever the machine's speed.
/// </summary>
internal sealed class GatedBroker : IAsyncDisposable
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private GatedBroker(InProcessMqttnetBroker broker)
    {
        Broker = broker;
        broker.Server.ValidatingConnectionAsync += e => _open.Task;
    }

    /// <summary>The broker behind the gate.</summary>
    public InProcessMqttnetBroker Broker { get; }

    /// <summary>Starts a broker with its gate shut.</summary>
    public static async Task<GatedBroker> StartAsync() => new(await InProcessMqttnetBroker.StartAsync());

    /// <summary>Lets the held connects, and all later ones, through.</summary>
    public void Open() => _open.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Open();
        await Broker.DisposeAsync();
    }
}
