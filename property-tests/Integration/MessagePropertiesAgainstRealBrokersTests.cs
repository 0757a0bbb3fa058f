using System.Diagnostics;
using System.Globalization;
using StateMachineMqtt.TestKit.Proxy;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Spec;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Integration;

/// <summary>
/// MQTT 5 message properties end to end (#10): user properties, content type, correlation data, message expiry, payload
/// format and response topic go from one client, through a real broker, to another — ours both ends, and ours against
/// Mosquitto's own C clients each way, so neither end can only agree with itself.
/// </summary>
public class MessagePropertiesAgainstRealBrokersTests
{
    private static readonly MqttMessageProperties Sent = new()
    {
        PayloadFormat = MqttPayloadFormat.Utf8,
        MessageExpiryInterval = TimeSpan.FromSeconds(600),
        ContentType = "application/json",
        ResponseTopic = "props/replies",
        CorrelationData = "req-42"u8.ToArray(),
        UserProperties = [new("trace", "abc"), new("trace", "def"), new("unit", "°C")],
    };

    private static MqttClientOptions Options(int port, string clientId) => new()
    {
        ProtocolVersion = MqttProtocolVersion.V500,
        ConnectUserProperties = [new("suite", "integration")], // every broker here takes CONNECT user properties
        ClientId = clientId,
        Server = "127.0.0.1",
        Port = port,
        KeepAlive = TimeSpan.FromSeconds(5),
        ResponseTime = TimeSpan.FromSeconds(2),
        ReconnectPolicy = new ExponentialBackoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(500), seed: 1),
    };

    [RequiresToolsTheory(Tool.Mosquitto)]
    [InlineData(MqttQualityOfService.AtMostOnce)]
    [InlineData(MqttQualityOfService.AtLeastOnce)]
    [InlineData(MqttQualityOfService.ExactlyOnce)]
    public async Task Properties_survive_a_round_trip_through_Mosquitto(MqttQualityOfService qos)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        MqttMessage received = await RoundTripAsync(broker.Port, qos);
        AssertCarried(received.Properties);
    }

    [Fact]
    public async Task Properties_survive_a_round_trip_through_the_in_process_MQTTnet_broker()
    {
        await using var broker = await InProcessMqttnetBroker.StartAsync();
        MqttMessage received = await RoundTripAsync(broker.Port, MqttQualityOfService.AtLeastOnce);
        AssertCarried(received.Properties);
    }

    [RequiresToolsFact(Tool.Mosquitto, Tool.MosquittoClients)]
    public async Task Mosquitto_sub_prints_the_properties_our_client_published()
    {
        // Retained, so mosquitto_sub gets it whenever its SUBSCRIBE lands: no race with the publish.
        await using var broker = await MosquittoBroker.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using (var publisher = new MqttClient(Options(broker.Port, "props-pub")))
        {
            await publisher.ConnectAsync(timeout.Token);
            await publisher.PublishAsync("props/retained", "{\"t\":21}"u8.ToArray(), MqttQualityOfService.AtLeastOnce, retain: true, Sent, timeout.Token);
            await publisher.DisconnectAsync(timeout.Token);
        }

        string line = await RunAsync(ToolRequirements.MosquittoSubPath, timeout.Token,
            "-h", "127.0.0.1", "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "-V", "mqttv5", "-q", "1", "-C", "1",
            "-t", "props/retained", "-F", "%C|%D|%F|%R|%P|%p|%E");
        string[] fields = line.TrimEnd('\n').Split('|');
        Assert.Equal(["application/json", "req-42", "1", "props/replies", "trace:abc trace:def unit:°C", "{\"t\":21}"], fields[..6]);
        int expiry = int.Parse(fields[6], CultureInfo.InvariantCulture);
        Assert.InRange(expiry, 1, 600); // what is left of it: Mosquitto counts it down while it keeps the message
    }

    [RequiresToolsFact(Tool.Mosquitto, Tool.MosquittoClients)]
    public async Task Our_client_receives_the_properties_mosquitto_pub_sent()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var subscriber = new MqttClient(Options(broker.Port, "props-sub"));
        await subscriber.ConnectAsync(timeout.Token);
        await subscriber.SubscribeAsync("props/c", MqttQualityOfService.AtLeastOnce, timeout.Token);

        await RunAsync(ToolRequirements.MosquittoPubPath, timeout.Token,
            "-h", "127.0.0.1", "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "-V", "mqttv5", "-q", "1", "-t", "props/c", "-m", "from C",
            "-D", "publish", "user-property", "trace", "abc",
            "-D", "publish", "user-property", "trace", "def",
            "-D", "publish", "user-property", "unit", "°C",
            "-D", "publish", "content-type", "application/json",
            "-D", "publish", "correlation-data", "req-42",
            "-D", "publish", "response-topic", "props/replies",
            "-D", "publish", "payload-format-indicator", "1",
            "-D", "publish", "message-expiry-interval", "600");

        await foreach (MqttMessage message in subscriber.ReadMessagesAsync(timeout.Token))
        {
            Assert.Equal("from C", message.PayloadText);
            AssertCarried(message.Properties);
            break;
        }
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task A_will_keeps_its_properties_when_Mosquitto_publishes_it()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var proxy = FaultProxy.Start("127.0.0.1", broker.Port);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var watcher = new MqttClient(Options(broker.Port, "props-watcher"));
        await watcher.ConnectAsync(timeout.Token);
        await watcher.SubscribeAsync("props/will", MqttQualityOfService.AtLeastOnce, timeout.Token);

        MqttClientOptions options = Options(proxy.Port, "props-dying");
        options.Will = new MqttWillMessage("props/will", "gone"u8.ToArray(), MqttQualityOfService.AtLeastOnce) { Properties = Sent, DelayInterval = TimeSpan.Zero };
        await using var dying = new MqttClient(options);
        await dying.ConnectAsync(timeout.Token);
        proxy.ResetAll(); // the link dies without DISCONNECT: the broker publishes the will

        await foreach (MqttMessage message in watcher.ReadMessagesAsync(timeout.Token))
        {
            Assert.Equal(("props/will", "gone"), (message.Topic, message.PayloadText));
            AssertCarried(message.Properties);
            break;
        }
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task DisconnectAsync_with_reason_0x04_has_Mosquitto_publish_the_will_and_a_normal_one_does_not()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var watcher = new MqttClient(Options(broker.Port, "dw-watcher"));
        await watcher.ConnectAsync(timeout.Token);
        await watcher.SubscribeAsync("dw/#", MqttQualityOfService.AtLeastOnce, timeout.Token);

        // The normal goodbye goes first: had Mosquitto published its will, it would be the first message the watcher reads.
        foreach ((string name, MqttDisconnectReason reason) in new[] { ("normal", MqttDisconnectReason.NormalDisconnection), ("with-will", MqttDisconnectReason.DisconnectWithWillMessage) })
        {
            MqttClientOptions options = Options(broker.Port, "dw-" + name);
            options.Will = new MqttWillMessage("dw/" + name, "gone"u8.ToArray(), MqttQualityOfService.AtLeastOnce);
            await using var leaving = new MqttClient(options);
            await leaving.ConnectAsync(timeout.Token);
            await leaving.DisconnectAsync(reason, timeout.Token);
        }

        await foreach (MqttMessage message in watcher.ReadMessagesAsync(timeout.Token))
        {
            Assert.Equal(("dw/with-will", "gone"), (message.Topic, message.PayloadText));
            break;
        }
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task Mosquitto_honours_No_Local_Retain_Handling_and_the_Subscription_Identifier()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var other = new MqttClient(Options(broker.Port, "so-other"));
        await other.ConnectAsync(timeout.Token);
        await other.PublishAsync("so/retained", "old"u8.ToArray(), MqttQualityOfService.AtLeastOnce, retain: true, null, timeout.Token);

        await using var client = new MqttClient(Options(broker.Port, "so-self"));
        await client.ConnectAsync(timeout.Token);
        await client.SubscribeAsync("so/#", MqttQualityOfService.AtLeastOnce,
            new MqttSubscriptionOptions { NoLocal = true, RetainHandling = MqttRetainHandling.DoNotSend, SubscriptionIdentifier = 42 }, timeout.Token);
        await client.PublishAsync("so/self", "mine"u8.ToArray(), MqttQualityOfService.AtLeastOnce, cancellationToken: timeout.Token); // No Local: not back to us
        await other.PublishAsync("so/other", "theirs"u8.ToArray(), MqttQualityOfService.AtLeastOnce, cancellationToken: timeout.Token);

        await foreach (MqttMessage message in client.ReadMessagesAsync(timeout.Token))
        {
            // Neither the retained "old" (DoNotSend) nor our own "mine" (No Local) comes first: "theirs" does.
            Assert.Equal(("so/other", "theirs"), (message.Topic, message.PayloadText));
            Assert.Equal([42u], message.Properties?.SubscriptionIdentifiers);
            break;
        }
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task RequestAsync_gets_a_responders_answer_through_Mosquitto()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var responder = new MqttClient(Options(broker.Port, "rr-responder"));
        await responder.ConnectAsync(timeout.Token);
        await using MqttSubscription requests = await responder.SubscribeStreamAsync("rr/time", MqttQualityOfService.AtLeastOnce, timeout.Token);
        Task answering = Task.Run(async () =>
        {
            await foreach (MqttMessage request in requests.WithCancellation(timeout.Token))
            {
                await responder.PublishAsync(request.Properties!.ResponseTopic!, "noon"u8.ToArray(), MqttQualityOfService.AtLeastOnce, false,
                    new MqttMessageProperties { CorrelationData = request.Properties.CorrelationData }, timeout.Token);
                return;
            }
        }, timeout.Token);

        await using var requester = new MqttClient(Options(broker.Port, "rr-requester"));
        await requester.ConnectAsync(timeout.Token);
        MqttMessage response = await requester.RequestAsync("rr/time", "now?"u8.ToArray(), MqttQualityOfService.AtLeastOnce, TimeSpan.FromSeconds(10), cancellationToken: timeout.Token);
        Assert.Equal("noon", response.PayloadText);
        await answering;
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task Mosquitto_takes_our_automatic_topic_aliases_and_subscribers_get_full_topics()
    {
        // Mosquitto's CONNACK allows 10 aliases (max_topic_alias); the proxy sees what goes on the wire.
        await using var broker = await MosquittoBroker.StartAsync();
        await using var proxy = FaultProxy.Start("127.0.0.1", broker.Port);
        var topicsOnTheWire = new List<string?>();
        proxy.PacketForwarding += (_, direction, frame) =>
        {
            if (direction == ProxyDirection.ClientToBroker && frame.Type == MqttPacketType.Publish)
            {
                lock (topicsOnTheWire)
                {
                    topicsOnTheWire.Add(frame.PublishTopic);
                }
            }
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var subscriber = new MqttClient(Options(broker.Port, "alias-sub"));
        await subscriber.ConnectAsync(timeout.Token);
        await subscriber.SubscribeAsync("alias/#", MqttQualityOfService.AtLeastOnce, timeout.Token);
        MqttClientOptions options = Options(proxy.Port, "alias-pub");
        options.AutomaticTopicAliases = true;
        await using var publisher = new MqttClient(options);
        await publisher.ConnectAsync(timeout.Token);
        for (int i = 0; i < 3; i++)
        {
            await publisher.PublishAsync("alias/long/topic/name", new[] { (byte)i }, MqttQualityOfService.AtLeastOnce, cancellationToken: timeout.Token);
        }

        var received = new List<string>();
        await foreach (MqttMessage message in subscriber.ReadMessagesAsync(timeout.Token))
        {
            received.Add(message.Topic);
            if (received.Count == 3)
            {
                break;
            }
        }

        Assert.Equal(Enumerable.Repeat("alias/long/topic/name", 3), received);
        lock (topicsOnTheWire)
        {
            Assert.Equal(["alias/long/topic/name", "", ""], topicsOnTheWire);
        }
    }

    private static async Task<MqttMessage> RoundTripAsync(int port, MqttQualityOfService qos)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var subscriber = new MqttClient(Options(port, "props-sub"));
        await using var publisher = new MqttClient(Options(port, "props-pub"));
        await subscriber.ConnectAsync(timeout.Token);
        await subscriber.SubscribeAsync("props/#", MqttQualityOfService.ExactlyOnce, timeout.Token);
        await publisher.ConnectAsync(timeout.Token);
        await publisher.PublishAsync("props/x", "{}"u8.ToArray(), qos, false, Sent, timeout.Token);
        await foreach (MqttMessage message in subscriber.ReadMessagesAsync(timeout.Token))
        {
            return message;
        }

        throw new InvalidOperationException("the subscriber's stream ended");
    }

    private static void AssertCarried(MqttMessageProperties? received)
    {
        Assert.NotNull(received);
        Assert.Equal(Sent.UserProperties, received.UserProperties); // order and the repeated name kept [MQTT-3.3.2-18]
        Assert.Equal("application/json", received.ContentType);
        Assert.Equal("req-42"u8.ToArray(), received.CorrelationData?.ToArray());
        Assert.Equal("props/replies", received.ResponseTopic);
        Assert.Equal(MqttPayloadFormat.Utf8, received.PayloadFormat);
        Assert.NotNull(received.MessageExpiryInterval);
        // A broker sends what is left of it [MQTT-3.3.2-6]: a second may pass between receipt and forwarding.
        Assert.InRange(received.MessageExpiryInterval.Value, TimeSpan.FromSeconds(1), Sent.MessageExpiryInterval!.Value);
    }

    private static async Task<string> RunAsync(string path, CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        Assert.True(process.ExitCode == 0, $"{Path.GetFileName(path)} exited {process.ExitCode}: {await error}");
        return await output;
    }
}
