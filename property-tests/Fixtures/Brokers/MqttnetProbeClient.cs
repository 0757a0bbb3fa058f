using System.Buffers;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Fixtures.Brokers;

/// <summary>
/// A second, independent MQTT 3.1.1 client (MQTTnet) for integration tests: it publishes to and listens on a
/// broker so a test can see what our client sent or make it receive something.
/// </summary>
public sealed class MqttnetProbeClient : IAsyncDisposable
{
    private readonly MQTTnet.IMqttClient _client;
    private readonly Channel<BrokerMessage> _received = Channel.CreateUnbounded<BrokerMessage>();

    private MqttnetProbeClient(MQTTnet.IMqttClient client)
    {
        _client = client;
        client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    /// <summary>The CONNACK's session-present flag.</summary>
    public bool SessionPresent { get; private set; }

    /// <summary>Application messages delivered to this client, in arrival order.</summary>
    public ChannelReader<BrokerMessage> Received => _received.Reader;

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/> with MQTT 3.1.1.</summary>
    public static async Task<MqttnetProbeClient> ConnectAsync(
        int port, string clientId, bool cleanSession = true, CancellationToken cancellationToken = default)
    {
        MQTTnet.IMqttClient client = new MqttClientFactory().CreateMqttClient();
        MQTTnet.MqttClientOptions options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithClientId(clientId)
            .WithCleanSession(cleanSession)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        // Subscribe the handler before CONNECT so queued messages delivered right after CONNACK are not lost.
        var probe = new MqttnetProbeClient(client);
        try
        {
            MqttClientConnectResult result = await client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
            probe.SessionPresent = result.IsSessionPresent;
            return probe;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Subscribes to a topic filter at the given QoS (0, 1 or 2).</summary>
    public async Task SubscribeAsync(string topicFilter, int qualityOfService, CancellationToken cancellationToken = default)
    {
        await _client.SubscribeAsync(topicFilter, (MqttQualityOfServiceLevel)qualityOfService, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Publishes UTF-8 text; for QoS 1 and 2 returns once the broker acknowledged it.</summary>
    public async Task PublishAsync(string topic, string payload, int qualityOfService, bool retain = false, CancellationToken cancellationToken = default)
    {
        await _client.PublishStringAsync(topic, payload, (MqttQualityOfServiceLevel)qualityOfService, retain, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for the next message on <paramref name="topic"/>, skipping others.</summary>
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

    /// <summary>Sends DISCONNECT (when still connected) and releases the client.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.TryDisconnectAsync().ConfigureAwait(false);
        }

        _client.Dispose();
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        MqttApplicationMessage message = args.ApplicationMessage;
        _received.Writer.TryWrite(new BrokerMessage(
            string.Empty, message.Topic, message.Payload.ToArray(), (int)message.QualityOfServiceLevel, message.Retain, message.Dup));
        return Task.CompletedTask;
    }
}
