using Microsoft.Extensions.Logging;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Transport;

#pragma warning disable CS0067 // temporary while the loop is written
namespace StateMachineMqtt;

/// <summary>
/// A resilient MQTT 3.1.1 client. It never blocks the caller on I/O, detects dead links with keepalive
/// pings, reconnects by itself with backoff, re-sends unacknowledged QoS 1 messages with DUP and restores
/// subscriptions. Its behaviour is the transition tables in spec/, executed by Stateless machines.
/// </summary>
public sealed partial class MqttClient : IAsyncDisposable
{
    /// <summary>Creates a client. Nothing happens on the network until <see cref="ConnectAsync"/>.</summary>
    /// <param name="options">Settings; validated here (ArgumentException says what is wrong).</param>
    /// <param name="timeProvider">Clock for every timeout; defaults to the system clock.</param>
    /// <param name="loggerFactory">Logging; defaults to none.</param>
    /// <param name="transport">How links are opened; defaults to TCP (or TLS when options.Tls is set).</param>
    public MqttClient(MqttClientOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, IMqttTransport? transport = null)
    {
        throw new NotImplementedException();
    }

    /// <summary>True while a CONNACK-accepted link is up.</summary>
    public bool IsConnected => throw new NotImplementedException();

    /// <summary>Raised (on the client's loop, so keep handlers short) when the link comes up or goes down.</summary>
    public event EventHandler<MqttConnectionEventArgs>? ConnectionChanged;

    /// <summary>
    /// Starts the client and completes once the first CONNACK accepts it. Transient network errors are retried with backoff
    /// until <paramref name="cancellationToken"/> fires; configuration errors throw <see cref="MqttConnectException"/> at once.
    /// After it returns the client keeps itself connected until DisconnectAsync or DisposeAsync.
    /// </summary>
    public Task ConnectAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>
    /// Publishes a message. QoS 0 completes once written to a live link; QoS 1 once PUBACK arrives — across any number of
    /// reconnects, re-sent with DUP as needed. While disconnected it waits for the link. Cancelling before the first send
    /// withdraws the message; after it, only the wait is cancelled and the message is still delivered (I1).
    /// </summary>
    public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qualityOfService = MqttQualityOfService.AtMostOnce, bool retain = false, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Subscribes and returns the QoS the broker granted; the subscription is restored after every reconnect that lost the session (I8).</summary>
    public Task<MqttQualityOfService> SubscribeAsync(string topicFilter, MqttQualityOfService qualityOfService = MqttQualityOfService.AtLeastOnce, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Unsubscribes; the filter is no longer restored after reconnects.</summary>
    public Task UnsubscribeAsync(string topicFilter, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Sends DISCONNECT and closes the link; stops reconnecting. Held QoS 1 messages stay held for a later ConnectAsync.</summary>
    public Task DisconnectAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Messages received on the client's subscriptions, in arrival order. One reader at a time.</summary>
    public IAsyncEnumerable<MqttMessage> ReadMessagesAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Closes the link without DISCONNECT and fails pending calls with ObjectDisposedException.</summary>
    public ValueTask DisposeAsync() => throw new NotImplementedException();
}
