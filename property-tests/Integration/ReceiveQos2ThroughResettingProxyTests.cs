using System.Diagnostics;
using System.Globalization;
using StateMachineMqtt.TestKit.Proxy;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Spec;
using Xunit.Abstractions;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Integration;

/// <summary>
/// Inbound QoS 2 against a real Mosquitto: `mosquitto_pub -q 2 -l` publishes 2,000 lines straight to the broker while our
/// client, subscribed at QoS 2 with a kept session, receives them through a proxy that resets the link every 300 ms and
/// after every 80th PUBREC it forwards — so PUBLISHes, PUBRECs, PUBRELs and PUBCOMPs are cut in flight, and Mosquitto
/// re-sends PUBLISH with DUP or PUBREL on each new link. Every line reaches the application exactly once (I9), in both
/// protocol versions. Real sockets and real time by nature.
/// </summary>
public sealed class ReceiveQos2ThroughResettingProxyTests(ITestOutputHelper output)
{
    private const int Lines = 2000;

    [RequiresToolsTheory(Tool.Mosquitto, Tool.MosquittoClients)]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Every_line_reaches_the_application_exactly_once(MqttProtocolVersion version)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3)); // a hang guard, not a speed goal
        await using var broker = await MosquittoBroker.StartAsync(limit.Token);
        await using var proxy = FaultProxy.Start("127.0.0.1", broker.Port);
        await using var client = new MqttClient(new MqttClientOptions
        {
            ProtocolVersion = version,
            ClientId = "qos2-receiver",
            CleanSession = false,
            SessionExpiryInterval = version == MqttProtocolVersion.V500 ? TimeSpan.FromHours(1) : null,
            Server = "127.0.0.1",
            Port = proxy.Port,
            KeepAlive = TimeSpan.FromSeconds(5),
            ReconnectPolicy = new ExponentialBackoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200), seed: 1),
        });
        await client.ConnectAsync(limit.Token);
        await client.SubscribeAsync("receive/lines", MqttQualityOfService.ExactlyOnce, limit.Token);

        int resets = 0;
        int dups = 0;
        int pubrecs = 0;
        proxy.PacketForwarded += (_, direction, frame) =>
        {
            if (frame.Dup)
            {
                Interlocked.Increment(ref dups);
            }

            // Resets are counted on the client's PUBRECs, its progress: on every new link Mosquitto first re-sends its whole
            // in-flight backlog with DUP, so a reset counted on PUBLISHes would cut each link before it carried anything new.
            if (direction == ProxyDirection.ClientToBroker && frame.Type == MqttPacketType.PubRec && Interlocked.Increment(ref pubrecs) % 80 == 0)
            {
                ThreadPool.QueueUserWorkItem(_ =>
                {
                    proxy.ResetAll();
                    Interlocked.Increment(ref resets);
                });
            }
        };

        using Process publisher = StartPublisher(broker.Port);
        Task feeding = FeedAsync(publisher, limit.Token);
        Task periodic = ResetPeriodicallyAsync(proxy, () => Interlocked.Increment(ref resets), feeding, limit.Token);

        // The application reads all along, as it should: a full receive queue would stop the client reading its socket.
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var endSeen = new TaskCompletionSource();
        Task reading = Task.Run(async () =>
        {
            await foreach (MqttMessage message in client.ReadMessagesAsync(limit.Token))
            {
                lock (counts)
                {
                    counts[message.PayloadText] = counts.GetValueOrDefault(message.PayloadText) + 1;
                    if (message.PayloadText == "end")
                    {
                        endSeen.TrySetResult();
                        return;
                    }
                }
            }
        });

        string Progress()
        {
            lock (counts)
            {
                return $"{counts.Count} distinct payloads, {client.Statistics.Received} received, {Volatile.Read(ref dups)} PUBLISHes with DUP, {Volatile.Read(ref pubrecs)} PUBREC, {Volatile.Read(ref resets)} resets, {proxy.ConnectionsAccepted} connections, connected {client.IsConnected}";
            }
        }

        try
        {
            await feeding;
            await periodic;
            while (Distinct() < Lines)
            {
                await Task.Delay(20, limit.Token);
            }

            // A duplicate would be a PUBLISH re-sent with DUP after its PUBREC was cut: Mosquitto re-sends those first on
            // every new link. Reset once more, and send a last message through the broker: it comes after everything the
            // broker still had for us, so what arrived before it is all there is.
            int linksBefore = proxy.ConnectionsAccepted;
            proxy.ResetAll();
            while (proxy.ConnectionsAccepted == linksBefore || !client.IsConnected)
            {
                await Task.Delay(20, limit.Token);
            }

            await client.PublishAsync("receive/lines", "end"u8.ToArray(), MqttQualityOfService.ExactlyOnce, cancellationToken: limit.Token);
            await endSeen.Task.WaitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            Assert.Fail("Hung (the 3 min guard ran out): " + Progress() + "; missing e.g. " + string.Join(", ", Missing().Take(5)));
        }

        await reading;
        int Distinct()
        {
            lock (counts)
            {
                return counts.Count;
            }
        }

        List<string> Missing()
        {
            lock (counts)
            {
                return Enumerable.Range(0, Lines).Select(i => $"line-{i}").Except(counts.Keys).ToList();
            }
        }

        counts.Remove("end");
        output.WriteLine(Progress());
        var twice = counts.Where(c => c.Value > 1).Select(c => $"{c.Key} x{c.Value}").ToList();
        Assert.True(twice.Count == 0, $"{twice.Count} lines delivered more than once, e.g. {string.Join(", ", twice.Take(5))}");
        List<string> missing = Missing();
        Assert.True(missing.Count == 0, $"{missing.Count} lines never arrived, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.True(proxy.ConnectionsAccepted >= 10, $"only {proxy.ConnectionsAccepted} connections: the resets did not interrupt the run enough to prove anything");
    }

    private static Process StartPublisher(int port)
    {
        var start = new ProcessStartInfo(ToolRequirements.MosquittoPubPath)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-t", "receive/lines", "-q", "2", "-l", "-i", "qos2-publisher" })
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    private static async Task FeedAsync(Process publisher, CancellationToken cancellationToken)
    {
        for (int i = 0; i < Lines; i++)
        {
            await publisher.StandardInput.WriteLineAsync($"line-{i}".AsMemory(), cancellationToken);
        }

        publisher.StandardInput.Close(); // end of input: mosquitto_pub finishes its flows and exits
        await publisher.WaitForExitAsync(cancellationToken);
        Assert.True(publisher.ExitCode == 0, "mosquitto_pub failed: " + await publisher.StandardError.ReadToEndAsync(cancellationToken));
    }

    private static async Task ResetPeriodicallyAsync(FaultProxy proxy, Action counted, Task until, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(300));
        while (!until.IsCompleted && await timer.WaitForNextTickAsync(cancellationToken))
        {
            proxy.ResetAll();
            counted();
        }
    }
}
