using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Spec;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Integration;

/// <summary>The client end to end over real TCP against real brokers: MQTTnet in process always, Mosquitto when installed.</summary>
public class ClientAgainstRealBrokersTests
{
    private static MqttClientOptions Options(int port, string clientId, bool cleanSession = true, MqttProtocolVersion version = MqttProtocolVersion.V311) => new()
    {
        ProtocolVersion = version,
        ClientId = clientId,
        Server = "127.0.0.1",
        Port = port,
        KeepAlive = TimeSpan.FromSeconds(5),
        ResponseTime = TimeSpan.FromSeconds(2),
        CleanSession = cleanSession,
        ReconnectPolicy = new ExponentialBackoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(500), seed: 1),
    };

    [Fact]
    public async Task Publishes_and_receives_through_the_in_process_MQTTnet_broker()
    {
        await using var broker = await InProcessMqttnetBroker.StartAsync();
        await RoundTripAsync(broker.Port);
        Assert.Contains(broker.ReceivedSoFar, m => m.Topic == "it/qos1" && m.QualityOfService == 1);
        Assert.Single(broker.ReceivedSoFar, m => m.Topic == "it/qos2" && m.QualityOfService == 2);
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task Publishes_and_receives_through_Mosquitto()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await RoundTripAsync(broker.Port);
    }

    [Fact]
    public async Task Publishes_and_receives_over_MQTT_5_through_the_in_process_MQTTnet_broker()
    {
        await using var broker = await InProcessMqttnetBroker.StartAsync();
        await RoundTripAsync(broker.Port, MqttProtocolVersion.V500);
        Assert.Single(broker.ReceivedSoFar, m => m.Topic == "it/qos2" && m.QualityOfService == 2);
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task Publishes_and_receives_over_MQTT_5_through_Mosquitto()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await RoundTripAsync(broker.Port, MqttProtocolVersion.V500);
        Assert.Contains("as it-pub (p5,", broker.Log, StringComparison.Ordinal); // Mosquitto logs the protocol level: p5 is MQTT 5, p4 3.1.1
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task Over_MQTT_5_a_publish_Mosquitto_denies_fails_with_reason_code_0x87_and_others_go_through()
    {
        // Mosquitto answers a PUBLISH its ACL denies with PUBACK or PUBREC 0x87 (Not authorized) to an MQTT 5 client.
        await using var broker = await MosquittoBroker.StartAsync(
            ["acl_file {dir}/acl"], new Dictionary<string, string> { ["acl"] = "topic readwrite it5/open/#\ntopic read it5/denied/#\n" });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var client = new MqttClient(Options(broker.Port, "it5-acl", version: MqttProtocolVersion.V500));
        await client.ConnectAsync(timeout.Token);

        foreach (MqttQualityOfService qos in new[] { MqttQualityOfService.AtLeastOnce, MqttQualityOfService.ExactlyOnce })
        {
            var error = await Assert.ThrowsAsync<MqttPublishException>(() => client.PublishAsync("it5/denied/x", "no", qos, cancellationToken: timeout.Token));
            Assert.Equal(0x87, error.ReasonCode);
            Assert.Contains("Not authorized (0x87)", error.Message, StringComparison.Ordinal);
            await client.PublishAsync("it5/open/x", "yes", qos, cancellationToken: timeout.Token);
        }

        Assert.Equal(2, client.Statistics.Acknowledged);
        Assert.Empty(client.SnapshotHeldMessages());
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task Over_MQTT_5_a_session_started_clean_keeps_messages_through_the_first_outage()
    {
        // 3.1.1 cannot: its clean first session ends with its link [MQTT-3.1.2-6]. MQTT 5 keeps it for its expiry interval.
        await using var broker = await MosquittoBroker.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var options = Options(broker.Port, "it5-sub", cleanSession: false, MqttProtocolVersion.V500);
        options.CleanSessionOnFirstConnect = true;
        await using (var first = new MqttClient(options))
        {
            await first.ConnectAsync(timeout.Token);
            await first.SubscribeAsync("it5/#", MqttQualityOfService.AtLeastOnce, timeout.Token);
            await first.DisconnectAsync(timeout.Token);
        }

        await using (var publisher = new MqttClient(Options(broker.Port, "it5-pub", version: MqttProtocolVersion.V500)))
        {
            await publisher.ConnectAsync(timeout.Token);
            await publisher.PublishAsync("it5/kept", "while away", MqttQualityOfService.AtLeastOnce, cancellationToken: timeout.Token);
            await publisher.DisconnectAsync(timeout.Token);
        }

        options.CleanSessionOnFirstConnect = false;
        await using var again = new MqttClient(options);
        bool? present = null;
        again.ConnectionChanged += (_, e) => present ??= e.Change == MqttConnectionChange.Connected ? e.SessionPresent : null;
        await again.ConnectAsync(timeout.Token);
        await foreach (MqttMessage message in again.ReadMessagesAsync(timeout.Token))
        {
            Assert.Equal(("it5/kept", "while away"), (message.Topic, message.PayloadText));
            break;
        }

        Assert.True(present);
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task Over_MQTT_5_an_empty_client_id_gets_Mosquittos_assigned_one_and_reconnects_keep_the_session()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var proxy = StateMachineMqtt.TestKit.Proxy.FaultProxy.Start("127.0.0.1", broker.Port);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var client = new MqttClient(Options(proxy.Port, "", cleanSession: false, MqttProtocolVersion.V500));
        var present = new List<bool>();
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ConnectionChanged += (_, e) =>
        {
            if (e.Change == MqttConnectionChange.Connected)
            {
                lock (present)
                {
                    present.Add(e.SessionPresent);
                    if (present.Count == 2)
                    {
                        reconnected.TrySetResult();
                    }
                }
            }
        };
        await client.ConnectAsync(timeout.Token);
        string assigned = client.ClientIdentifier;
        Assert.StartsWith("auto-", assigned, StringComparison.Ordinal); // Mosquitto's assigned identifiers

        proxy.ResetAll();
        await reconnected.Task.WaitAsync(timeout.Token);
        Assert.Equal([false, true], present); // the second CONNECT named the assigned identifier: the same session
        Assert.Equal(assigned, client.ClientIdentifier);
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task A_first_connect_to_a_closed_port_keeps_retrying_until_the_broker_comes_up()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await broker.StopAsync();
        await using var client = new MqttClient(Options(broker.Port, "late"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Task connecting = client.ConnectAsync(timeout.Token);
        Assert.False(connecting.IsCompleted);
        await broker.RestartAsync(timeout.Token);
        await connecting;
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task An_unknown_host_fails_the_first_connect_at_once_with_a_clear_message()
    {
        var options = Options(1883, "nohost");
        options.Server = "nonexistent.invalid";
        await using var client = new MqttClient(options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var error = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync(timeout.Token));
        Assert.Contains("nonexistent.invalid", error.Message, StringComparison.Ordinal);
        Assert.False(timeout.IsCancellationRequested);
    }

    private static async Task RoundTripAsync(int port, MqttProtocolVersion version = MqttProtocolVersion.V311)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var subscriber = new MqttClient(Options(port, "it-sub", version: version));
        await using var publisher = new MqttClient(Options(port, "it-pub", version: version));
        await subscriber.ConnectAsync(timeout.Token);
        Assert.Equal(MqttQualityOfService.ExactlyOnce, await subscriber.SubscribeAsync("it/#", MqttQualityOfService.ExactlyOnce, timeout.Token));
        await publisher.ConnectAsync(timeout.Token);

        await publisher.PublishAsync("it/qos1", "one", MqttQualityOfService.AtLeastOnce, cancellationToken: timeout.Token);
        await publisher.PublishAsync("it/qos0", "two", MqttQualityOfService.AtMostOnce, cancellationToken: timeout.Token);
        await publisher.PublishAsync("it/qos2", "three", MqttQualityOfService.ExactlyOnce, cancellationToken: timeout.Token);

        var received = new List<string>();
        await foreach (MqttMessage message in subscriber.ReadMessagesAsync(timeout.Token))
        {
            received.Add($"{message.Topic}={message.PayloadText}@{(int)message.QualityOfService}");
            if (received.Count == 3)
            {
                break;
            }
        }

        Assert.Equal(["it/qos1=one@1", "it/qos0=two@0", "it/qos2=three@2"], received);
        await publisher.DisconnectAsync(timeout.Token);
        Assert.False(publisher.IsConnected);
        Assert.Equal(2, publisher.Statistics.Acknowledged); // the QoS 1 at PUBACK, the QoS 2 at PUBCOMP
    }
}
