#region getting-started-usings
using StateMachineMqtt;
using StateMachineMqtt.Protocol;  // MqttQualityOfService
using StateMachineMqtt.Spec;      // MqttProtocolVersion, OutboundOverflowPolicy
using StateMachineMqtt.Transport; // MqttTlsOptions
#endregion

// Outside StateMachineMqtt's namespaces, so the usings above are what a user writes (DocSnippetsTests keeps docs/ in step).
namespace DocSnippets;

/// <summary>docs/getting-started.md's samples, compiled; FirstStepsAsync is also run against a broker (GettingStartedSnippetsTests).</summary>
internal static class GettingStartedSnippets
{
    public static MqttClientOptions FirstOptions()
    {
        #region getting-started-options
        var options = new MqttClientOptions
        {
            ClientId = "sensor-42",
            Server = "broker.local",              // port 1883 by default, 8883 with Tls set
            KeepAlive = TimeSpan.FromSeconds(20), // a ping every 5 s; a dead link is noticed within 20 s
        };
        #endregion
        return options;
    }

    public static async Task FirstStepsAsync(MqttClientOptions options, CancellationToken cancellationToken)
    {
        #region getting-started-first-steps
        await using var client = new MqttClient(options);
        await client.ConnectAsync(cancellationToken); // retries network errors until a CONNACK accepts it

        await client.SubscribeAsync("home/+/temperature", MqttQualityOfService.AtLeastOnce, cancellationToken);
        await client.PublishAsync("home/kitchen/temperature", "21.5", MqttQualityOfService.AtLeastOnce, cancellationToken: cancellationToken);

        await foreach (MqttMessage message in client.ReadMessagesAsync(cancellationToken))
        {
            Console.WriteLine($"{message.Topic}: {message.PayloadText}");
            break;
        }

        await client.DisconnectAsync(cancellationToken);
        #endregion
    }

    public static async Task QualityOfServiceAsync(MqttClient client, IEnumerable<string> readings, CancellationToken cancellationToken)
    {
        #region getting-started-qos
        // QoS 0: completes once written to a live link; never re-sent.
        await client.PublishAsync("home/kitchen/motion", "1", MqttQualityOfService.AtMostOnce, cancellationToken: cancellationToken);

        // QoS 1: completes on PUBACK; held and re-sent with DUP until then, across outages, so it may arrive twice.
        await client.PublishAsync("home/kitchen/temperature", "21.5", MqttQualityOfService.AtLeastOnce, cancellationToken: cancellationToken);

        // QoS 2: completes on PUBCOMP; arrives once, when the session persists (CleanSession = false).
        await client.PublishAsync("home/kitchen/heating", "on", MqttQualityOfService.ExactlyOnce, cancellationToken: cancellationToken);

        // Many at once: the calls queue in order, and up to MaxInflight await their PUBACK together.
        await Task.WhenAll(readings.Select(reading =>
            client.PublishAsync("home/kitchen/temperature", reading, MqttQualityOfService.AtLeastOnce, cancellationToken: cancellationToken)));
        #endregion
    }

    public static MqttClientOptions PersistentSession()
    {
        #region getting-started-persistent-session
        var options = new MqttClientOptions
        {
            ClientId = "sensor-42",            // the broker keys the session by it: keep it the same across runs
            Server = "broker.local",
            CleanSession = false,              // keep subscriptions and unacknowledged messages across outages
            CleanSessionOnFirstConnect = true, // but start this run clean, dropping what an earlier run left behind
        };
        #endregion
        return options;
    }

    public static void WatchTheLink(MqttClient client)
    {
        #region getting-started-connection-changed
        client.ConnectionChanged += (_, e) =>
        {
            switch (e.Change)
            {
                case MqttConnectionChange.Connected:
                    Console.WriteLine($"connected; session present: {e.SessionPresent}");
                    break;
                case MqttConnectionChange.LinkLost:
                    Console.WriteLine($"link lost ({e.Reason}); next attempt in {e.RetryDelay}");
                    break;
                case MqttConnectionChange.AttemptFailed:
                    Console.WriteLine($"attempt {e.Attempt} failed ({e.Reason}); next in {e.RetryDelay}");
                    break;
            }
        };
        #endregion
    }

    public static async Task FirstConnectTimeoutAsync(CancellationToken cancellationToken)
    {
        #region getting-started-first-connect-timeout
        var options = new MqttClientOptions
        {
            Server = "broker.local",
            FirstConnectTimeout = TimeSpan.FromSeconds(10), // or FirstConnectAttempts = 5
        };
        await using var client = new MqttClient(options);
        try
        {
            await client.ConnectAsync(cancellationToken);
        }
        catch (MqttConnectException e)
        {
            // The last attempt's error, e.g. "ECONNREFUSED: connection refused"; or a configuration error such as
            // an unknown host or refused credentials, which fails at once whatever the bound.
            Console.Error.WriteLine($"No broker: {e.Message}");
            return;
        }

        // From here on, outages are ridden out: the client reconnects by itself.
        #endregion
    }

    public static async Task DrainAsync(MqttClient client, CancellationToken cancellationToken)
    {
        #region getting-started-drain
        Console.WriteLine($"held: {client.HeldMessageCount}, awaiting an answer: {client.InFlightMessageCount}");
        await client.DisconnectAsync(drain: true, cancellationToken); // first waits until every accepted message has completed
        #endregion
    }

    public static async Task StreamsAsync(MqttClient client, CancellationToken cancellationToken)
    {
        #region getting-started-streams
        await using MqttSubscription alarms = await client.SubscribeStreamAsync("home/+/alarm", MqttQualityOfService.AtLeastOnce, cancellationToken);
        await foreach (MqttMessage alarm in alarms.WithCancellation(cancellationToken))
        {
            Console.WriteLine($"alarm in {alarm.Topic}: {alarm.PayloadText}");
        }
        // Disposing the stream unsubscribes.
        #endregion
    }

    public static async Task Mqtt5Async(CancellationToken cancellationToken)
    {
        #region getting-started-mqtt5
        var options = new MqttClientOptions
        {
            ClientId = "line1-controller",
            Server = "broker.local",
            ProtocolVersion = MqttProtocolVersion.V500,
            CleanSession = false,
            SessionExpiryInterval = TimeSpan.FromHours(1), // the broker keeps the session an hour after a link ends
        };
        await using var client = new MqttClient(options);
        await client.ConnectAsync(cancellationToken);

        try
        {
            await client.PublishAsync("plant/line1/state", "{\"ok\":true}"u8.ToArray(), MqttQualityOfService.AtLeastOnce, retain: false,
                new MqttMessageProperties
                {
                    ContentType = "application/json",
                    MessageExpiryInterval = TimeSpan.FromMinutes(5),
                    UserProperties = [new("site", "north")],
                }, cancellationToken);
        }
        catch (MqttPublishException e)
        {
            Console.Error.WriteLine($"refused with 0x{e.ReasonCode:X2}: {e.Message}"); // e.g. 0x87 Not authorized
        }

        MqttMessage answer = await client.RequestAsync("plant/line1/ask", "status?"u8.ToArray(), MqttQualityOfService.AtLeastOnce,
            TimeSpan.FromSeconds(5), cancellationToken: cancellationToken); // Response Topic + Correlation Data, then the reply
        Console.WriteLine(answer.PayloadText);
        #endregion
    }

    public static MqttClientOptions Tls()
    {
        #region getting-started-tls
        var options = new MqttClientOptions
        {
            Server = "broker.example.com",
            UserName = "sensor-42",
            Password = Environment.GetEnvironmentVariable("MQTT_PASSWORD"),
            Tls = MqttTlsOptions.FromPemFiles("ca.pem", certFile: null, keyFile: null), // port 8883 unless Port says otherwise
        };
        #endregion
        return options;
    }
}
