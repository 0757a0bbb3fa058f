#region migration-usings
using StateMachineMqtt;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Spec;
#endregion

namespace DocSnippets;

/// <summary>The "after" samples of docs/migrating-from-mqttnet.md and docs/migrating-from-mqtt-as.md, compiled.</summary>
internal static class MigrationSnippets
{
    public static async Task MqttnetAfterAsync(CancellationToken cancellationToken)
    {
        #region mqttnet-after
        var options = new MqttClientOptions
        {
            Server = "broker.local",
            Port = 1883,
            ClientId = "sensor-42",
            CleanSession = false,
            KeepAlive = TimeSpan.FromSeconds(20),
            ResponseTime = TimeSpan.FromSeconds(10),
        };
        await using var client = new MqttClient(options);
        await client.ConnectAsync(cancellationToken); // retries with backoff until connected (or cancelled)
        await client.SubscribeAsync("home/+/temperature", MqttQualityOfService.AtLeastOnce, cancellationToken);
        await client.PublishAsync("home/kitchen/temperature", "21.5", MqttQualityOfService.AtLeastOnce,
            cancellationToken: cancellationToken); // completes on PUBACK, across any outage in between

        await foreach (MqttMessage message in client.ReadMessagesAsync(cancellationToken))
        {
            Console.WriteLine($"{message.Topic}: {message.PayloadText}");
        }
        #endregion
    }

    public static async Task ManagedAfterAsync(IEnumerable<string> readings, CancellationToken cancellationToken)
    {
        #region mqttnet-managed-after
        var options = new MqttClientOptions
        {
            Server = "broker.local",
            ClientId = "gateway-7",
            CleanSession = false,
            // AutoReconnectDelay: a growing, jittered delay instead of a fixed one.
            ReconnectPolicy = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)),
            // MaxPendingMessages and PendingMessagesOverflowStrategy: bounds in messages and bytes, and a policy.
            MaxQueuedMessages = 50_000,
            MaxQueuedBytes = 16L * 1024 * 1024,
            OutboundOverflow = OutboundOverflowPolicy.DropOldestQoS0, // QoS 1 and 2 are never dropped: the call waits
        };
        await using var client = new MqttClient(options);
        client.ConnectionChanged += (_, e) => Console.WriteLine($"{e.Change}: {e.Reason}"); // ConnectedAsync, DisconnectedAsync, ConnectingFailedAsync
        await client.ConnectAsync(cancellationToken);

        // EnqueueAsync: PublishAsync accepts the message at once and its task completes on PUBACK
        // (ApplicationMessageProcessedAsync), however many reconnects come between.
        Task[] deliveries = [.. readings.Select(reading =>
            client.PublishAsync("gateway-7/readings", reading, MqttQualityOfService.AtLeastOnce, cancellationToken: cancellationToken))];
        Console.WriteLine($"pending: {client.HeldMessageCount}"); // PendingApplicationMessagesCount
        await Task.WhenAll(deliveries);
        #endregion
    }

    public static async Task ManagedReceiveAsync(MqttClient client, CancellationToken cancellationToken)
    {
        #region mqttnet-managed-receive
        // ApplicationMessageReceivedAsync: read a stream instead of handling an event. Subscriptions are restored by the
        // client after every reconnect that lost the session, as ManagedMqttClient did.
        await using MqttSubscription commands = await client.SubscribeStreamAsync("gateway-7/commands/#", MqttQualityOfService.AtLeastOnce, cancellationToken);
        await foreach (MqttMessage command in commands.WithCancellation(cancellationToken))
        {
            Console.WriteLine($"{command.Topic}: {command.PayloadText}"); // acknowledged once queued for this reader
        }
        #endregion
    }

    public static async Task MqttAsAfterAsync(CancellationToken cancellationToken)
    {
        #region mqtt-as-after
        var options = new MqttClientOptions
        {
            Server = "broker.local",                 // config['server']
            ClientId = "sensor-42",                  // config['client_id']
            KeepAlive = TimeSpan.FromSeconds(60),    // config['keepalive']
            ResponseTime = TimeSpan.FromSeconds(10), // config['response_time']
            MaxRepublishes = 4,                      // config['max_repubs']
            CleanSession = false,                    // config['clean']
            ReceiveQueueLength = 10,                 // config['queue_len']
        };
        await using var client = new MqttClient(options);
        client.ConnectionChanged += (_, e) => Console.WriteLine(e.IsConnected ? "up" : $"down: {e.Reason}"); // client.up / client.down
        await client.ConnectAsync(cancellationToken);

        // Once: the client restores it after every reconnect that lost the session (no re-subscribing in an "up" task).
        await client.SubscribeAsync("home/+/temperature", MqttQualityOfService.AtLeastOnce, cancellationToken);
        await client.PublishAsync("home/kitchen/temperature", "21.5", MqttQualityOfService.AtLeastOnce, cancellationToken: cancellationToken);

        await foreach (MqttMessage message in client.ReadMessagesAsync(cancellationToken)) // async for topic, msg, retained in client.queue
        {
            Console.WriteLine($"{message.Topic} {message.PayloadText} {message.Retain}");
        }
        #endregion
    }
}
