using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Server;

namespace StateMachineMqtt.PropertyTests.Fixtures.Brokers;

/// <summary>
/// An MQTTnet broker inside the test process, on a free 127.0.0.1 port. Quicker to start than Mosquitto and
/// lets a test watch every application message the broker receives (<see cref="Received"/>).
/// </summary>
public sealed class InProcessMqttnetBroker : IAsyncDisposable
{
    private const int PortAttempts = 3;

    private readonly Channel<BrokerMessage> _received = Channel.CreateUnbounded<BrokerMessage>();
    private readonly List<BrokerMessage> _history = [];

    private InProcessMqttnetBroker(MqttServer server, int port)
    {
        Server = server;
        Port = port;
        server.InterceptingPublishAsync += OnPublishAsync;
    }

    /// <summary>The loopback port the broker listens on.</summary>
    public int Port { get; }

    /// <summary>The MQTTnet server, for what the fixture does not wrap (e.g. DisconnectClientAsync, GetSessionsAsync).</summary>
    public MqttServer Server { get; }

    /// <summary>Every application message the broker receives from a client, in arrival order.</summary>
    public ChannelReader<BrokerMessage> Received => _received.Reader;

    /// <summary>A copy of all application messages received so far.</summary>
    public IReadOnlyList<BrokerMessage> ReceivedSoFar
    {
        get
        {
            lock (_history)
            {
                return [.. _history];
            }
        }
    }

    /// <summary>Starts a broker (persistent sessions on, so clean session = 0 is honoured) and returns once it listens.</summary>
    public static async Task<InProcessMqttnetBroker> StartAsync(CancellationToken cancellationToken = default)
    {
        var factory = new MqttServerFactory();
        for (int attempt = 1; ; attempt++)
        {
            int port = LoopbackPorts.FindFree();
            MqttServerOptions options = factory.CreateServerOptionsBuilder()
                .WithDefaultEndpoint()
                .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
                .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
                .WithDefaultEndpointPort(port)
                .WithPersistentSessions(true)
                .Build();
            MqttServer server = factory.CreateMqttServer(options);
            var broker = new InProcessMqttnetBroker(server, port);
            try
            {
                await server.StartAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
                return broker;
            }
            catch (SocketException) when (attempt < PortAttempts)
            {
                // The probed port was taken before the server bound it; try another.
                await broker.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await broker.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>Completes when a client next subscribes to <paramref name="filter"/>: call it before starting that client.</summary>
    public Task WhenSubscribed(string filter)
    {
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Server.ClientSubscribedTopicAsync += e =>
        {
            if (e.TopicFilter.Topic == filter)
            {
                subscribed.TrySetResult();
            }

            return Task.CompletedTask;
        };
        return subscribed.Task;
    }

    /// <summary>Waits for the next application message whose topic matches <paramref name="topic"/>, skipping others.</summary>
    public async Task<BrokerMessage> WaitForMessageAsync(string topic, CancellationToken cancellationToken)
    {
        while (true)
        {
            BrokerMessage message = await _received.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (message.Topic == topic)
            {
                return message;
            }
        }
    }

    /// <summary>Stops the server and disposes it.</summary>
    public async ValueTask DisposeAsync()
    {
        Server.InterceptingPublishAsync -= OnPublishAsync;
        _received.Writer.TryComplete();
        if (Server.IsStarted)
        {
            await Server.StopAsync().ConfigureAwait(false);
        }

        Server.Dispose();
    }

    private Task OnPublishAsync(InterceptingPublishEventArgs args)
    {
        MqttApplicationMessage message = args.ApplicationMessage;
        var received = new BrokerMessage(
            args.ClientId ?? string.Empty,
            message.Topic,
            message.Payload.ToArray(),
            (int)message.QualityOfServiceLevel,
            message.Retain,
            message.Dup);
        lock (_history)
        {
            _history.Add(received);
        }

        _received.Writer.TryWrite(received);
        return Task.CompletedTask;
    }
}
