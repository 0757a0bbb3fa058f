using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Server;

namespace StateMachineMqtt.TestKit.Brokers;

/// <summary>
/// An MQTTnet broker inside this process, on a free 127.0.0.1 port, with persistent sessions so a clean-session-0 client
/// finds its subscriptions and queued messages again after a restart: the tests' fixture (quicker to start than
/// Mosquitto, and it lets a test watch every application message the broker receives, <see cref="Received"/>) and the
/// broker of <c>smqtt demo</c>.
/// </summary>
public sealed class InProcessMqttnetBroker : IAsyncDisposable
{
    private const int PortAttempts = 3;

    private readonly Channel<BrokerMessage> _received = Channel.CreateUnbounded<BrokerMessage>();
    private readonly List<BrokerMessage> _history = [];

    private readonly bool _records;

    private InProcessMqttnetBroker(MqttServer server, int port, bool records)
    {
        Server = server;
        Port = port;
        _records = records;
        if (records)
        {
            server.InterceptingPublishAsync += OnPublishAsync;
        }
    }

    /// <summary>The loopback port the broker listens on.</summary>
    public int Port { get; }

    /// <summary>The MQTTnet server, for what the fixture does not wrap (e.g. DisconnectClientAsync, GetSessionsAsync).</summary>
    public MqttServer Server { get; }

    /// <summary>Every application message the broker receives from a client, in arrival order (empty unless it records).</summary>
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
    public static Task<InProcessMqttnetBroker> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(records: true, cancellationToken);

    /// <summary>
    /// Starts a broker; <paramref name="records"/> false keeps no copy of the messages it receives, for a long run such as
    /// the demo, whose ledger counts them itself.
    /// </summary>
    public static async Task<InProcessMqttnetBroker> StartAsync(bool records, CancellationToken cancellationToken)
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
            var broker = new InProcessMqttnetBroker(server, port, records);
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

    /// <summary>Stops the broker (every client connection closes), waits <paramref name="downtime"/> on <paramref name="time"/>, and starts it on the same port with its sessions.</summary>
    public async Task RestartAsync(TimeSpan downtime, TimeProvider time, CancellationToken cancellationToken)
    {
        await Server.StopAsync().ConfigureAwait(false);
        await Task.Delay(downtime, time, cancellationToken).ConfigureAwait(false);
        await Server.StartAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the server and disposes it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_records)
        {
            Server.InterceptingPublishAsync -= OnPublishAsync;
        }

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
