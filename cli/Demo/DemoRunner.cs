using System.Globalization;
using System.Text;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.TestKit;
using StateMachineMqtt.TestKit.Brokers;
using StateMachineMqtt.TestKit.Proxy;

namespace StateMachineMqtt.Cli.Demo;

/// <summary>
/// The showcase: a publisher (QoS 1, persistent session) talks to a broker through the fault proxy while a subscriber
/// counts what arrives; faults are injected in turn and the run ends with what was lost (nothing, or it fails).
/// </summary>
internal static class DemoRunner
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Runs every phase and returns the summary (also printed to <paramref name="output"/>).</summary>
    public static async Task<DemoSummary> RunAsync(DemoOptions options, TextWriter output, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var console = new DemoConsole(output, time);
        string runId = Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()));
        string topic = $"smqtt/demo/{runId}";

        var broker = options.Broker is null ? await InProcessMqttnetBroker.StartAsync(records: false, cancellationToken).ConfigureAwait(false) : null;
        try
        {
            return await RunAsync(options, broker, console, runId, topic, time, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (broker is not null)
            {
                await broker.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<DemoSummary> RunAsync(DemoOptions options, InProcessMqttnetBroker? broker, DemoConsole console, string runId, string topic, TimeProvider time, CancellationToken cancellationToken)
    {
        var (host, port) = broker is null ? SplitHostPort(options.Broker!) : ("127.0.0.1", broker.Port);
        console.Line(broker is null ? $"broker: external, {host}:{port}" : $"broker: MQTTnet in this process on 127.0.0.1:{port}");

        var proxy = FaultProxy.Start(host, port, time);
        await using var proxyLifetime = proxy.ConfigureAwait(false);
        console.Line($"fault proxy: 127.0.0.1:{proxy.Port} -> {host}:{port} (the publisher connects through it; the subscriber connects directly)");

        var ledger = new MessageLedger();
        var publisher = new MqttClient(ClientOptions($"smqtt-demo-pub-{runId}", "127.0.0.1", proxy.Port, options), time);
        await using var publisherLifetime = publisher.ConfigureAwait(false);
        var subscriber = new MqttClient(ClientOptions($"smqtt-demo-sub-{runId}", host, port, options), time);
        await using var subscriberLifetime = subscriber.ConfigureAwait(false);
        var publisherWatch = new LinkWatch("publisher", publisher, time, console.Line);
        var subscriberWatch = new LinkWatch("subscriber", subscriber, time, console.Line);
        console.Line($"clients: QoS 1, clean session off, keepalive {options.KeepAlive.TotalSeconds:0} s, response time {options.ResponseTime.TotalSeconds:0.#} s, topic {topic}");

        using var connectLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectLimit.CancelAfter(options.RecoveryLimit);
        await subscriber.ConnectAsync(connectLimit.Token).ConfigureAwait(false);
        await subscriber.SubscribeAsync(topic, MqttQualityOfService.AtLeastOnce, connectLimit.Token).ConfigureAwait(false);
        await publisher.ConnectAsync(connectLimit.Token).ConfigureAwait(false);

        using var stopReceiving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receiving = ReceiveAsync(subscriber, runId, ledger, stopReceiving.Token);
        using var stopPublishing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new List<Task>();
        var publishing = PublishAsync(publisher, topic, runId, ledger, pending, options.PublishInterval, time, stopPublishing.Token);
        using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progress = ProgressAsync(console, ledger, publisher, subscriber, options.ProgressInterval, time, stopProgress.Token);

        await Task.Delay(options.SteadyPeriod, time, cancellationToken).ConfigureAwait(false);
        var context = new DemoContext(proxy, broker, options, time, console.Line);
        var faults = DemoFault.All.Where(f => broker is not null || !f.NeedsOwnBroker).ToList();
        var outcomes = new List<FaultOutcome>();
        for (int i = 0; i < faults.Count; i++)
        {
            console.Raw($"{Environment.NewLine}--- fault {i + 1}/{faults.Count}: {faults[i].Name}: {faults[i].Description}");
            outcomes.Add(await RunPhaseAsync(faults[i], context, publisherWatch, ledger, console, cancellationToken).ConfigureAwait(false));
            await Task.Delay(options.SteadyPeriod, time, cancellationToken).ConfigureAwait(false);
        }

        console.Raw($"{Environment.NewLine}--- draining: publishing stops; waiting for every PUBACK and every delivery");
        await stopPublishing.CancelAsync().ConfigureAwait(false);
        await publishing.ConfigureAwait(false);
        await WaitUntilAsync(() => ledger.Snapshot() is { Pending: 0, Lost: 0 }, options.RecoveryLimit, time, cancellationToken).ConfigureAwait(false);
        await stopProgress.CancelAsync().ConfigureAwait(false);
        await progress.ConfigureAwait(false);
        var ledgerAtEnd = ledger.Snapshot();
        (int publisherOutages, int subscriberOutages) = (publisherWatch.Outages, subscriberWatch.Outages); // before our own disconnects

        await DisconnectQuietlyAsync(publisher, console, "publisher").ConfigureAwait(false);
        await DisconnectQuietlyAsync(subscriber, console, "subscriber").ConfigureAwait(false);
        await stopReceiving.CancelAsync().ConfigureAwait(false);
        await receiving.ConfigureAwait(false);

        var summary = new DemoSummary(ledgerAtEnd, publisherOutages, subscriberOutages, outcomes, console.Elapsed);
        console.Raw(summary.Format());
        console.Raw("Packets through the proxy:" + Environment.NewLine + Indent(proxy.Counters.ToString()));
        return summary;
    }

    private static async Task<FaultOutcome> RunPhaseAsync(DemoFault fault, DemoContext context, LinkWatch publisherWatch, MessageLedger ledger, DemoConsole console, CancellationToken cancellationToken)
    {
        var time = context.Time;
        var injected = time.GetUtcNow();
        await fault.InjectAsync(context, cancellationToken).ConfigureAwait(false);
        var limit = context.Options.RecoveryLimit;
        bool reconnected = await WaitUntilAsync(() => publisherWatch.UpAgainAfter(injected) is not null, limit, time, cancellationToken).ConfigureAwait(false);
        TimeSpan? detected = publisherWatch.FirstDownAfter(injected) - injected;
        TimeSpan? recovered = null;
        if (reconnected)
        {
            // Recovered means flowing: a few more messages acknowledged after the reconnect.
            int acknowledged = ledger.Snapshot().Acknowledged;
            if (await WaitUntilAsync(() => ledger.Snapshot().Acknowledged >= acknowledged + 3, limit, time, cancellationToken).ConfigureAwait(false))
            {
                recovered = publisherWatch.UpAgainAfter(injected) - injected;
            }
        }

        context.Proxy.Heal();
        console.Line(recovered is { } r
            ? $"recovered from {fault.Name}: link down after {detected?.TotalSeconds:0.0} s, flowing again after {r.TotalSeconds:0.0} s"
            : $"NOT recovered from {fault.Name} within {limit.TotalSeconds:0} s");
        return new FaultOutcome(fault.Name, detected, recovered, publisherWatch.FirstDownReasonAfter(injected));
    }

    private static async Task PublishAsync(MqttClient publisher, string topic, string runId, MessageLedger ledger, List<Task> pending, TimeSpan interval, TimeProvider time, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                int sequence = ledger.NextSequence();
                pending.Add(PublishOneAsync(publisher, topic, Payload(runId, sequence), sequence, ledger));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // publishing phase over
        }
    }

    // Not awaited one by one: the client holds and orders them, re-sending across outages, so many are in flight at once.
    private static async Task PublishOneAsync(MqttClient publisher, string topic, byte[] payload, int sequence, MessageLedger ledger)
    {
        try
        {
            await publisher.PublishAsync(topic, payload, MqttQualityOfService.AtLeastOnce).ConfigureAwait(false);
            ledger.Acknowledged(sequence);
        }
        catch (Exception e)
        {
            ledger.Failed(sequence, e);
        }
    }

    private static async Task ReceiveAsync(MqttClient subscriber, string runId, MessageLedger ledger, CancellationToken stop)
    {
        try
        {
            await foreach (var message in subscriber.ReadMessagesAsync(stop).ConfigureAwait(false))
            {
                if (TryParsePayload(message.PayloadText, runId, out int sequence))
                {
                    ledger.Received(sequence);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // demo over
        }
    }

    private static async Task ProgressAsync(DemoConsole console, MessageLedger ledger, MqttClient publisher, MqttClient subscriber, TimeSpan interval, TimeProvider time, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var s = ledger.Snapshot();
                console.Line($"published {s.Published,5}  acked {s.Acknowledged,5}  received {s.Received,5}  dup {s.Duplicates}  [publisher {UpDown(publisher)}, subscriber {UpDown(subscriber)}]");
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // demo over
        }
    }

    private static string UpDown(MqttClient client) => client.IsConnected ? "up" : "DOWN";

    private static async Task DisconnectQuietlyAsync(MqttClient client, DemoConsole console, string name)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await client.DisconnectAsync(limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            console.Line($"{name} did not disconnect cleanly: {e.Message}");
        }
    }

    private static Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan limit, TimeProvider time, CancellationToken cancellationToken) =>
        Polling.WaitUntilAsync(condition, limit, PollInterval, time, cancellationToken);

    private static MqttClientOptions ClientOptions(string clientId, string host, int port, DemoOptions options) => new()
    {
        ClientId = clientId,
        Server = host,
        Port = port,
        // Session kept from the very first CONNECT: a session begun clean ends with its first link [MQTT-3.1.2-6], and the
        // subscription with it. The client id is new for every run, so there is no stale session to inherit.
        CleanSession = false,
        KeepAlive = options.KeepAlive,
        ResponseTime = options.ResponseTime,
        ReconnectPolicy = new ExponentialBackoff(options.BackoffInitial, options.BackoffMaximum),
    };

    private static byte[] Payload(string runId, int sequence) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{runId}:{sequence}"));

    private static bool TryParsePayload(string payload, string runId, out int sequence)
    {
        sequence = -1;
        int colon = payload.IndexOf(':', StringComparison.Ordinal);
        return colon > 0
            && payload.AsSpan(0, colon).SequenceEqual(runId)
            && int.TryParse(payload.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }

    /// <summary>Splits "host:port" (already validated by the argument parser).</summary>
    internal static (string Host, int Port) SplitHostPort(string hostPort)
    {
        int colon = hostPort.LastIndexOf(':');
        return (hostPort[..colon], int.Parse(hostPort.AsSpan(colon + 1), CultureInfo.InvariantCulture));
    }

    private static string Indent(string lines) => string.Join(Environment.NewLine, lines.Split(Environment.NewLine).Select(l => "  " + l));
}
