using System.Globalization;
using StateMachineMqtt.TestKit.Proxy;

namespace StateMachineMqtt.TestKit.Soak;

/// <summary>
/// One soak run: a publisher and a subscriber of one client library (QoS 1, persistent sessions), each behind its own
/// fault proxy in front of a real broker; a seeded schedule resets, closes, silences, delays and refuses their links and
/// kills the broker now and then, while the publisher sends its messages at a steady pace. Then the network heals, the run
/// waits for every acknowledgement and delivery, and reports what became of every message.
/// </summary>
public static class SoakRunner
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StatusInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(5);

    // A broker restored from its file may still hand on messages it PUBACKed before a crash: wait for quiet before calling them lost.
    private static readonly TimeSpan QuietDrain = TimeSpan.FromSeconds(5);

    /// <summary>Runs the soak and returns its report; <paramref name="log"/> gets progress lines.</summary>
    public static Task<SoakReport> RunAsync(ISoakClientFactory clients, ISoakBroker broker, SoakOptions options, Action<string>? log = null, TimeProvider? time = null, CancellationToken cancellationToken = default) =>
        RunAsync(clients, broker, options, log, status: null, time, cancellationToken);

    /// <summary>
    /// Runs the soak and returns its report; <paramref name="log"/> gets a progress line every 5 s, and
    /// <paramref name="status"/> (a live status line, e.g. on a terminal) a one-line summary at most every 200 ms while publishing.
    /// </summary>
    public static async Task<SoakReport> RunAsync(ISoakClientFactory clients, ISoakBroker broker, SoakOptions options, Action<string>? log, Action<string>? status, TimeProvider? time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        time ??= TimeProvider.System;
        log ??= _ => { };
        var payload = new SoakPayload(string.Create(CultureInfo.InvariantCulture, $"s{options.Seed}-{Random.Shared.Next(0x100000):x5}"));
        var ledger = new DeliveryLedger(options.Topics);
        var timeline = new SoakTimeline(time);
        var memory = new MemoryWatch(time);
        await using var memoryLifetime = memory.ConfigureAwait(false);
        var publisherProxy = FaultProxy.Start("127.0.0.1", broker.Port, time);
        await using var publisherProxyLifetime = publisherProxy.ConfigureAwait(false);
        var subscriberProxy = FaultProxy.Start("127.0.0.1", broker.Port, time);
        await using var subscriberProxyLifetime = subscriberProxy.ConfigureAwait(false);
        ProxyTap.Attach(publisherProxy, subscriberProxy, ledger, payload);
        string topicRoot = $"smqtt-chaos/{payload.RunId}";
        string[] topics = [.. Enumerable.Range(0, options.Topics).Select(i => $"{topicRoot}/t{i}")];
        log($"{clients.Name}: run {payload.RunId}, seed {options.Seed}, up to {options.Messages} messages at {options.MessagesPerSecond}/s");

        var trace = new SoakTrace(timeline);
        var subscriber = clients.Create($"{payload.RunId}-sub", subscriberProxy.Port, options, trace.Add);
        await using var subscriberLifetime = subscriber.ConfigureAwait(false);
        var publisher = clients.Create($"{payload.RunId}-pub", publisherProxy.Port, options, trace.Add);
        await using var publisherLifetime = publisher.ConfigureAwait(false);
        subscriber.LinkChanged += (up, why) => Link(FaultTarget.Subscriber, up, why);
        publisher.LinkChanged += (up, why) => Link(FaultTarget.Publisher, up, why);
        void Link(FaultTarget client, bool up, string why)
        {
            timeline.Link(client, up);
            trace.Add($"{client} link {(up ? "up" : "down")}: {why}");
        }

        void Failed(Exception e)
        {
            if (ledger.CallFailed() <= 20)
            {
                trace.Add($"publish failed: {e.GetType().Name}: {e.Message}");
            }
        }

        using (var startLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            startLimit.CancelAfter(options.StartLimit);
            await subscriber.StartAsync($"{topicRoot}/#", startLimit.Token).ConfigureAwait(false);
            await publisher.StartAsync("", startLimit.Token).ConfigureAwait(false);
        }

        using var stopReceiving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receiving = ReceiveAsync(subscriber, payload, ledger, timeline, stopReceiving.Token);
        await Task.Delay(options.QuietStart, time, cancellationToken).ConfigureAwait(false);

        var injector = new FaultInjector(publisherProxy, subscriberProxy, broker, ledger, timeline, time, log, trace.Add);
        using var stopFaults = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var faults = injector.RunAsync(new FaultSchedule(options), stopFaults.Token);
        using var stopCalls = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var window = new SemaphoreSlim(publisher.PublishWindow);
        using var windowLifetime = window;
        try
        {
            await PublishAllAsync(publisher, topics, payload, ledger, timeline, window, Failed, options, time, log, status is null ? null : line => status($"{clients.Name}: {line}"), stopCalls.Token, cancellationToken).ConfigureAwait(false);
            log($"publishing done after {timeline.Now.TotalSeconds:0.0} s; healing the network and draining");
        }
        finally
        {
            // Also when cancelled: a broker restart still under way must finish before the caller disposes the broker.
            await stopFaults.CancelAsync().ConfigureAwait(false);
            await faults.ConfigureAwait(false);
        }

        bool drained = await WaitUntilAsync(
            () => window.CurrentCount == publisher.PublishWindow
                && (ledger.AllReceived() || (ledger.Settled() && timeline.SinceProgress(FaultTarget.Subscriber) > QuietDrain)),
            options.DrainLimit, time, cancellationToken).ConfigureAwait(false);
        await stopCalls.CancelAsync().ConfigureAwait(false);
        await WaitUntilAsync(() => window.CurrentCount == publisher.PublishWindow, StopLimit, time, cancellationToken).ConfigureAwait(false);
        var delivery = ledger.Count();
        var report = new SoakReport(
            clients.Name, clients.ReconnectStrategy, options.Seed, timeline.Now, delivery, timeline.FaultCount, ledger.BrokerKills,
            timeline.LinkDowns(FaultTarget.Publisher), timeline.LinkDowns(FaultTarget.Subscriber), timeline.Recoveries(), memory.PeakMegabytes, drained, []);
        report = report.Passed ? report : report with { Trace = trace.Lines() };

        await StopQuietlyAsync(publisher).ConfigureAwait(false);
        await StopQuietlyAsync(subscriber).ConfigureAwait(false);
        await stopReceiving.CancelAsync().ConfigureAwait(false);
        await receiving.ConfigureAwait(false);
        log($"{clients.Name}: delivered {delivery.Delivered}/{delivery.Published}, lost by clients {delivery.LostClientSide}, lost in broker crashes {delivery.LostInBrokerCrash}, duplicates {delivery.Duplicates}");
        return report;
    }

    private static async Task PublishAllAsync(
        ISoakClient publisher, string[] topics, SoakPayload payload, DeliveryLedger ledger, SoakTimeline timeline, SemaphoreSlim window,
        Action<Exception> failed, SoakOptions options, TimeProvider time, Action<string> log, Action<string>? status, CancellationToken calls, CancellationToken cancellationToken)
    {
        long start = time.GetTimestamp();
        var nextProgress = ProgressInterval;
        var nextStatus = TimeSpan.Zero;
        for (int n = 0; n < options.Messages; n++)
        {
            var elapsed = time.GetElapsedTime(start);
            if (options.Duration is { } limit && elapsed > limit)
            {
                break;
            }

            var wait = TimeSpan.FromSeconds((double)n / options.MessagesPerSecond) - elapsed;
            if (wait > TimeSpan.FromMilliseconds(10))
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }

            if (elapsed > nextProgress)
            {
                nextProgress += ProgressInterval;
                var c = ledger.Count();
                log($"{elapsed.TotalSeconds,5:0} s: published {c.Published}, delivered {c.Delivered}, faults {timeline.FaultCount}, broker kills {ledger.BrokerKills}");
            }

            if (status is not null && elapsed >= nextStatus)
            {
                // Counting walks the ledger: at most five times a second, not per message.
                nextStatus = elapsed + StatusInterval;
                var c = ledger.Count();
                string of = options.Messages == int.MaxValue ? string.Empty : $"/{options.Messages}";
                status($"{elapsed.TotalSeconds:0} s: {c.Published}{of} published, {c.Delivered} delivered, {timeline.FaultCount} faults, {ledger.BrokerKills} broker kills");
            }

            await window.WaitAsync(cancellationToken).ConfigureAwait(false);
            int sequence = ledger.Publish();
            _ = PublishOneAsync(publisher, topics[ledger.TopicOf(sequence)], payload.Create(sequence), sequence, ledger, timeline, window, failed, calls);
        }
    }

    private static async Task PublishOneAsync(ISoakClient publisher, string topic, byte[] payload, int sequence, DeliveryLedger ledger, SoakTimeline timeline, SemaphoreSlim window, Action<Exception> failed, CancellationToken calls)
    {
        try
        {
            await publisher.PublishAsync(topic, payload, failed, calls).ConfigureAwait(false);
            ledger.ApplicationAcknowledged(sequence);
            timeline.Progress(FaultTarget.Publisher);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // counted: failed calls by the client, unacknowledged ones by the ledger
        }
        finally
        {
            window.Release();
        }
    }

    private static async Task ReceiveAsync(ISoakClient subscriber, SoakPayload payload, DeliveryLedger ledger, SoakTimeline timeline, CancellationToken stop)
    {
        try
        {
            await foreach (var (_, bytes) in subscriber.ReceiveAsync(stop).ConfigureAwait(false))
            {
                if (payload.TryParse(bytes, out int sequence))
                {
                    ledger.Received(sequence);
                    timeline.Progress(FaultTarget.Subscriber);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // run over
        }
    }

    private static async Task StopQuietlyAsync(ISoakClient client)
    {
        using var limit = new CancellationTokenSource(StopLimit);
        try
        {
            await client.StopAsync(limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // the report is taken; a client that cannot say goodbye is disposed anyway
        }
    }

    private static Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan limit, TimeProvider time, CancellationToken cancellationToken) =>
        Polling.WaitUntilAsync(condition, limit, PollInterval, time, cancellationToken);
}
