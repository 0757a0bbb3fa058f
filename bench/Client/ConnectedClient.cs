using StateMachineMqtt.Benchmarks.InMemory;

namespace StateMachineMqtt.Benchmarks.Client;

/// <summary>A real <see cref="MqttClient"/> connected over an <see cref="InMemoryTransport"/>, for the client-path benchmarks.</summary>
internal static class ConnectedClient
{
    /// <summary>Connects a client (MQTT 3.1.1, clean session, in-flight window 20) to a fresh scripted broker.</summary>
    public static async Task<(MqttClient Client, ScriptedBroker Broker)> ConnectAsync(CancellationToken cancellationToken = default)
    {
        var transport = new InMemoryTransport();
        var options = new MqttClientOptions { ClientId = "bench", MaxInflight = 20, KeepAlive = TimeSpan.FromMinutes(10) };
        var client = new MqttClient(options, transport: transport);
        await client.ConnectAsync(cancellationToken);
        return (client, transport.Broker!);
    }
}
