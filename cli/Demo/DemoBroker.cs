using System.Net;
using System.Net.Sockets;
using MQTTnet.Server;

namespace StateMachineMqtt.Cli.Demo;

/// <summary>
/// The demo's own broker: MQTTnet in this process on a free loopback port, with persistent sessions so a clean-session-0
/// client finds its subscriptions and queued messages again after a restart (as Mosquitto with persistence does).
/// </summary>
internal sealed class DemoBroker : IAsyncDisposable
{
    private readonly MqttServer _server;

    private DemoBroker(MqttServer server, int port)
    {
        _server = server;
        Port = port;
    }

    /// <summary>The loopback port it listens on (the same after a restart).</summary>
    public int Port { get; }

    /// <summary>Starts a broker on a free port.</summary>
    public static async Task<DemoBroker> StartAsync()
    {
        var factory = new MqttServerFactory();
        for (int attempt = 1; ; attempt++)
        {
            int port = FreePort();
            var options = factory.CreateServerOptionsBuilder()
                .WithDefaultEndpoint()
                .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
                .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
                .WithDefaultEndpointPort(port)
                .WithPersistentSessions(true)
                .Build();
            var server = factory.CreateMqttServer(options);
            try
            {
                await server.StartAsync().ConfigureAwait(false);
                return new DemoBroker(server, port);
            }
            catch (SocketException) when (attempt < 3)
            {
                server.Dispose(); // the free port was taken meanwhile: try another
            }
        }
    }

    /// <summary>Stops the broker (every client connection closes), waits <paramref name="downtime"/>, starts it on the same port.</summary>
    public async Task RestartAsync(TimeSpan downtime, TimeProvider time, CancellationToken cancellationToken)
    {
        await _server.StopAsync().ConfigureAwait(false);
        await Task.Delay(downtime, time, cancellationToken).ConfigureAwait(false);
        await _server.StartAsync().ConfigureAwait(false);
    }

    /// <summary>Stops and disposes the server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_server.IsStarted)
        {
            await _server.StopAsync().ConfigureAwait(false);
        }

        _server.Dispose();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
