using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using StateMachineMqtt.PropertyTests.Fixtures.Logging;
using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Integration;

/// <summary>
/// Issue 13 end to end, as it was filed: a 2,000,000-byte QoS 1 message reaches a subscriber whose MaximumPacketSize is
/// 1 MiB and whose session persists. Before, the subscriber closed the link over it and the broker re-delivered it on every
/// resume, so nothing after it ever arrived. Now the subscriber reads past it, acknowledges it, stays connected and gets the
/// small message published after it — and the broker does not send the big one again after a reconnect.
/// </summary>
public class OversizedMessageAgainstRealBrokersTests
{
    private static MqttClientOptions Options(int port, string clientId, int maximumPacketSize) => new()
    {
        ClientId = clientId,
        Server = "127.0.0.1",
        Port = port,
        KeepAlive = TimeSpan.FromSeconds(5),
        ResponseTime = TimeSpan.FromSeconds(5),
        // Persistent from the first connect: a clean first connect's session would end with its link [MQTT-3.1.2-6], and
        // the reconnect below would then prove nothing about the big message's acknowledgement (and race the restored
        // SUBSCRIBE against the marker). Each broker here is new, so the session starts empty all the same.
        CleanSession = false,
        MaximumPacketSize = maximumPacketSize,
        ReconnectPolicy = new ExponentialBackoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(500), seed: 1),
    };

    [Fact]
    public async Task A_subscriber_sent_a_message_over_its_maximum_stays_connected_and_gets_the_next_one_through_MQTTnet()
    {
        await using var broker = await InProcessMqttnetBroker.StartAsync();
        await PoisonThenSmallAsync(broker.Port, "mqttnet");
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task A_subscriber_sent_a_message_over_its_maximum_stays_connected_and_gets_the_next_one_through_Mosquitto()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await PoisonThenSmallAsync(broker.Port, "mosquitto");
    }

    private static async Task PoisonThenSmallAsync(int port, string name)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var subscriberLogs = new CapturingLoggerFactory();
        var publisherLogs = new CapturingLoggerFactory();
        await using var subscriber = new MqttClient(Options(port, "poison-sub-" + name, maximumPacketSize: 1024 * 1024), loggerFactory: subscriberLogs);
        // The publisher's own limit allows the big message; the subscriber's does not.
        await using var publisher = new MqttClient(Options(port, "poison-pub-" + name, maximumPacketSize: 4 * 1024 * 1024), loggerFactory: publisherLogs);
        try
        {
            await PoisonThenSmallAsync(subscriber, publisher, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // A bare cancellation names no cause: say what each client went through.
            throw new Xunit.Sdk.XunitException(
                $"Gave up after 30 s. Subscriber {subscriber.Statistics}, connected {subscriber.IsConnected}:{Environment.NewLine}{subscriberLogs.Transcript()}" +
                $"{Environment.NewLine}Publisher {publisher.Statistics}:{Environment.NewLine}{publisherLogs.Transcript()}");
        }
    }

    private static async Task PoisonThenSmallAsync(MqttClient subscriber, MqttClient publisher, CancellationToken token)
    {
        await subscriber.ConnectAsync(token);
        await subscriber.SubscribeAsync("poison/#", MqttQualityOfService.AtLeastOnce, token);
        await publisher.ConnectAsync(token);

        await publisher.PublishAsync("poison/big", new byte[2_000_000], MqttQualityOfService.AtLeastOnce, cancellationToken: token);
        await publisher.PublishAsync("poison/small", "small", MqttQualityOfService.AtLeastOnce, cancellationToken: token);

        MqttMessage first = await FirstMessageAsync(subscriber, token);
        Assert.Equal(("poison/small", "small"), (first.Topic, first.PayloadText));
        Assert.True(subscriber.IsConnected);
        Assert.Equal(0, subscriber.Statistics.LinksLost);
        Assert.Equal(1, subscriber.Statistics.DroppedOversized);

        // The big one was acknowledged: after a resume the broker has nothing of it left to send, so the marker comes first.
        await subscriber.DisconnectAsync(token);
        var resumed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscriber.ConnectionChanged += (_, e) =>
        {
            if (e.Change == MqttConnectionChange.Connected)
            {
                resumed.TrySetResult(e.SessionPresent);
            }
        };
        await subscriber.ConnectAsync(token);
        Assert.True(await resumed.Task.WaitAsync(token), "the broker kept no session, so the resume proves nothing");
        await publisher.PublishAsync("poison/marker", "after", MqttQualityOfService.AtLeastOnce, cancellationToken: token);
        Assert.True(subscriber.IsConnected);
        MqttMessage next = await FirstMessageAsync(subscriber, token);
        Assert.Equal("poison/marker", next.Topic);
        Assert.Equal(1, subscriber.Statistics.DroppedOversized);
        Assert.Equal(0, subscriber.Statistics.LinksLost);

        await publisher.DisconnectAsync(token);
        await subscriber.DisconnectAsync(token);
    }

    private static async Task<MqttMessage> FirstMessageAsync(MqttClient client, CancellationToken token)
    {
        await foreach (MqttMessage message in client.ReadMessagesAsync(token))
        {
            return message;
        }

        throw new InvalidOperationException("ReadMessagesAsync ended before a message arrived.");
    }
}
