using System.Collections.Concurrent;
using System.Globalization;
using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Spec;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Integration;

/// <summary>
/// #12 item 3: two consumers share one stream through "$share/workers/…" on Mosquitto, under MQTT 3.1.1 (which Mosquitto
/// accepts shared subscriptions from) and MQTT 5: every message published reaches exactly one of them, none is lost, and
/// both take part.
/// </summary>
public sealed class SharedSubscriptionsAgainstMosquittoTests
{
    private const int Messages = 200;
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20); // a safety net against a hang, never a measure

    [RequiresToolsTheory(Tool.Mosquitto)]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Two_consumers_of_one_shared_subscription_get_each_message_exactly_once_between_them(MqttProtocolVersion version)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var guard = new CancellationTokenSource(Guard);
        string v = version == MqttProtocolVersion.V500 ? "5" : "311";
        string filter = $"$share/workers/share/{v}/#";
        await using var first = new MqttClient(Options(broker, $"share-a-{v}", version));
        await using var second = new MqttClient(Options(broker, $"share-b-{v}", version));
        await using var publisher = new MqttClient(Options(broker, $"share-pub-{v}", version));
        var received = new ConcurrentDictionary<string, ConcurrentBag<string>>(StringComparer.Ordinal); // payload -> consumers
        int total = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(guard.Token);

        async Task ReadAsync(MqttClient consumer, string name)
        {
            try
            {
                await foreach (MqttMessage message in consumer.ReadMessagesAsync(stop.Token))
                {
                    received.GetOrAdd(System.Text.Encoding.UTF8.GetString(message.Payload.Span), _ => []).Add(name);
                    if (Interlocked.Increment(ref total) == Messages)
                    {
                        all.TrySetResult();
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped once the count is in.
            }
        }

        foreach (MqttClient client in new[] { first, second, publisher })
        {
            await client.ConnectAsync(guard.Token);
        }

        Assert.Equal(MqttQualityOfService.AtLeastOnce, await first.SubscribeAsync(filter, MqttQualityOfService.AtLeastOnce, guard.Token));
        Assert.Equal(MqttQualityOfService.AtLeastOnce, await second.SubscribeAsync(filter, MqttQualityOfService.AtLeastOnce, guard.Token));
        Task readers = Task.WhenAll(ReadAsync(first, "first"), ReadAsync(second, "second"));

        for (int i = 0; i < Messages; i++)
        {
            await publisher.PublishAsync($"share/{v}/job", i.ToString(CultureInfo.InvariantCulture), MqttQualityOfService.AtLeastOnce, cancellationToken: guard.Token);
        }

        await all.Task.WaitAsync(guard.Token);
        // Every PUBACK is in and every message has been delivered: a duplicate now could only come from a re-send after
        // a reconnect, and a clean disconnect ends the consumers' links first.
        await first.DisconnectAsync(guard.Token);
        await second.DisconnectAsync(guard.Token);
        await stop.CancelAsync();
        await readers;

        Assert.Equal(Messages, received.Count); // nothing lost
        Assert.All(received, pair => Assert.Single(pair.Value)); // each to exactly one consumer, once
        int toFirst = received.Count(pair => pair.Value.Single() == "first");
        Assert.InRange(toFirst, 1, Messages - 1); // both took part: the broker shared the stream
        Assert.Equal(Messages, total);
    }

    private static MqttClientOptions Options(MosquittoBroker broker, string clientId, MqttProtocolVersion version) => new()
    {
        ProtocolVersion = version,
        ClientId = clientId,
        Server = "127.0.0.1",
        Port = broker.Port,
        KeepAlive = TimeSpan.FromSeconds(5),
        ResponseTime = TimeSpan.FromSeconds(2),
        ReconnectPolicy = new ExponentialBackoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(500), seed: 1),
    };
}
