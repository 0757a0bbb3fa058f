using System.Runtime.CompilerServices;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt.TestKit.Soak;

/// <summary>Our <see cref="MqttClient"/> in a soak run: it reconnects, re-sends and resubscribes by itself.</summary>
public sealed class SmqttSoakClient : ISoakClient
{
    private readonly MqttClient _client;

    private SmqttSoakClient(MqttClient client)
    {
        _client = client;
        client.ConnectionChanged += (_, e) => LinkChanged?.Invoke(e.IsConnected, e.Reason);
    }

    /// <summary>The factory for soak runs.</summary>
    public static ISoakClientFactory Factory { get; } = new FactoryImpl();

    /// <inheritdoc />
    public event Action<bool, string>? LinkChanged;

    /// <summary>The client holds and orders many messages itself; the application does not wait for each.</summary>
    public int PublishWindow => 200;

    /// <inheritdoc />
    public async Task StartAsync(string topicFilter, CancellationToken cancellationToken)
    {
        await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        if (topicFilter.Length > 0)
        {
            await _client.SubscribeAsync(topicFilter, MqttQualityOfService.AtLeastOnce, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task PublishAsync(string topic, byte[] payload, Action<Exception> failed, CancellationToken cancellationToken)
    {
        // One call per message: the client itself re-sends across outages, so the application never repeats it.
        try
        {
            await _client.PublishAsync(topic, payload, MqttQualityOfService.AtLeastOnce, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            failed(e);
            throw;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<(string Topic, byte[] Payload)> ReceiveAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var message in _client.ReadMessagesAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return (message.Topic, message.Payload.ToArray());
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => _client.DisconnectAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _client.DisposeAsync();

    private sealed class FactoryImpl : ISoakClientFactory
    {
        public string Name => "StateMachineMqtt";

        public string ReconnectStrategy => "built in: keepalive pings, reconnect with backoff, re-send with DUP, resubscribe; the application keeps up to 200 publishes outstanding and never repeats one";

        public ISoakClient Create(string clientId, int port, SoakOptions options, Action<string> trace) => new SmqttSoakClient(new MqttClient(new MqttClientOptions
        {
            ClientId = clientId,
            Server = "127.0.0.1",
            Port = port,
            CleanSession = false,
            KeepAlive = options.KeepAlive,
            ResponseTime = options.ResponseTime,
            ReceiveQueueLength = 10_000,
            ReconnectPolicy = new ExponentialBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1)),
        },
        loggerFactory: new TraceLoggerFactory(clientId, trace)));
    }
}
