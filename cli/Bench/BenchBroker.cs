using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.Cli.Bench;

/// <summary>The one broker every client of a bench run talks to: Mosquitto when it is installed, else the embedded MQTTnet server.</summary>
internal sealed class BenchBroker : IAsyncDisposable
{
    private readonly IAsyncDisposable _broker;

    private BenchBroker(IAsyncDisposable broker, int port, string name)
    {
        _broker = broker;
        Port = port;
        Name = name;
    }

    /// <summary>Its loopback port.</summary>
    public int Port { get; }

    /// <summary>What it is, for the report.</summary>
    public string Name { get; }

    /// <summary>Starts Mosquitto (with the C client's in-flight window of 20) or, without it, the embedded broker.</summary>
    public static async Task<BenchBroker> StartAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(MosquittoBroker.ExecutablePath))
        {
            var mosquitto = await MosquittoBroker.StartAsync(["max_inflight_messages 20", "max_queued_messages 1000000"], null, cancellationToken).ConfigureAwait(false);
            return new BenchBroker(mosquitto, mosquitto.Port, "Mosquitto (" + MosquittoBroker.ExecutablePath + ")");
        }

        var embedded = await InProcessMqttnetBroker.StartAsync(false, cancellationToken).ConfigureAwait(false);
        return new BenchBroker(embedded, embedded.Port, "embedded MQTTnet server (Mosquitto is not installed)");
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _broker.DisposeAsync();
}
