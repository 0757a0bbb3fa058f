using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace StateMachineMqtt.TestKit.Soak;

/// <summary>
/// MQTTnet 5 in a soak run. Version 5 ships no managed client, so this is the loop its samples recommend
/// (Client_Connection_Samples, "reconnect using a timer"): every period, TryPingAsync, and ConnectAsync when the ping fails;
/// the subscription is renewed when the broker has no session. A publish that throws is repeated by the application once
/// the client is connected again, as a careful application must.
/// </summary>
public sealed class MqttnetSoakClient : ISoakClient
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(20);
    private readonly MQTTnet.IMqttClient _client;
    private readonly MQTTnet.MqttClientOptions _options;
    private readonly TimeSpan _responseTime;
    private readonly Channel<(string, byte[])> _received = Channel.CreateUnbounded<(string, byte[])>();
    private readonly CancellationTokenSource _stop = new();
    private Task _reconnectLoop = Task.CompletedTask;
    private string _topicFilter = "";

    private MqttnetSoakClient(string clientId, int port, SoakOptions options)
    {
        _responseTime = options.ResponseTime;
        _client = new MqttClientFactory().CreateMqttClient();
        _options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithClientId(clientId)
            .WithCleanSession(false)
            .WithKeepAlivePeriod(options.KeepAlive)
            .WithTimeout(options.ResponseTime)
            .Build();
        _client.ConnectedAsync += _ => Raise(true, "connected");
        _client.DisconnectedAsync += e => e.ClientWasConnected ? Raise(false, $"{e.Reason} {e.Exception?.Message}") : Task.CompletedTask;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            _received.Writer.TryWrite((e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray()));
            return Task.CompletedTask;
        };
    }

    /// <summary>The factory for soak runs.</summary>
    public static ISoakClientFactory Factory { get; } = new FactoryImpl();

    /// <summary>How often the reconnect loop checks the link (the sample uses 5 s; 1 s matches our client's longest backoff).</summary>
    public static TimeSpan ReconnectPeriod { get; } = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public event Action<bool, string>? LinkChanged;

    /// <summary>MQTTnet's PublishAsync returns only at PUBACK and fails on a lost link; the application publishes one at a time to keep order.</summary>
    public int PublishWindow => 1;

    /// <inheritdoc />
    public async Task StartAsync(string topicFilter, CancellationToken cancellationToken)
    {
        _topicFilter = topicFilter;
        while (!await TryConnectAsync(cancellationToken).ConfigureAwait(false))
        {
            await Task.Delay(ReconnectPeriod, cancellationToken).ConfigureAwait(false);
        }

        _reconnectLoop = ReconnectLoopAsync(_stop.Token);
    }

    /// <inheritdoc />
    public async Task PublishAsync(string topic, byte[] payload, Action<Exception> failed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failed);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        while (true)
        {
            if (_client.IsConnected)
            {
                try
                {
                    var result = await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
                    if (result.IsSuccess)
                    {
                        return;
                    }

                    failed(new InvalidOperationException($"PUBACK reason {result.ReasonCode}"));
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OutOfMemoryException)
                {
                    failed(e); // the library lost the link or timed out: publish again
                }
            }

            await Task.Delay(RetryPause, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<(string Topic, byte[] Payload)> ReceiveAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var message in _received.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return message;
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _reconnectLoop.ConfigureAwait(false);
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptions(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _reconnectLoop.ConfigureAwait(false);
        _client.Dispose();
        _stop.Dispose();
    }

    private async Task ReconnectLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (!await _client.TryPingAsync(stop).ConfigureAwait(false))
                {
                    await TryConnectAsync(stop).ConfigureAwait(false);
                }

                await Task.Delay(ReconnectPeriod, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<bool> TryConnectAsync(CancellationToken cancellationToken)
    {
        // ConnectAsync ignores the configured timeout when its token can be cancelled: give it a token that times out.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(_responseTime);
        try
        {
            var result = await _client.ConnectAsync(_options, bound.Token).ConfigureAwait(false);
            if (!result.IsSessionPresent && _topicFilter.Length > 0)
            {
                await _client.SubscribeAsync(_topicFilter, MqttQualityOfServiceLevel.AtLeastOnce, bound.Token).ConfigureAwait(false);
            }

            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OutOfMemoryException)
        {
            return false;
        }
    }

    private Task Raise(bool up, string reason)
    {
        LinkChanged?.Invoke(up, reason);
        return Task.CompletedTask;
    }

    private sealed class FactoryImpl : ISoakClientFactory
    {
        public string Name => "MQTTnet 5.2";

        public string ReconnectStrategy => $"application loop from MQTTnet's samples: TryPingAsync every {ReconnectPeriod.TotalSeconds:0} s, ConnectAsync when it fails, resubscribe without a session; the application publishes one message at a time and re-publishes what threw (more at once would reorder the re-publishes)";

        public ISoakClient Create(string clientId, int port, SoakOptions options, Action<string> trace) => new MqttnetSoakClient(clientId, port, options);
    }
}
