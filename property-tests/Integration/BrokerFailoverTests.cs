using System.Collections.Concurrent;
using System.Globalization;
using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.TestKit.Brokers;
using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.Integration;

/// <summary>
/// Broker failover (issue #12 item 2) against real brokers: a publisher with Servers = [A, B] keeps publishing while A is
/// SIGKILLed, and every message it accepted is accounted for.
/// </summary>
public sealed class BrokerFailoverTests(ITestOutputHelper output)
{
    private const int Messages = 300;
    private const int Window = 20; // publishes outstanding at once, so A dies with some sent and not yet acknowledged

    private static MqttClientOptions Options(string clientId, params MqttServerEndpoint[] servers) => new()
    {
        ClientId = clientId,
        Servers = servers,
        KeepAlive = TimeSpan.FromSeconds(5),
        ResponseTime = TimeSpan.FromSeconds(2),
        ReconnectPolicy = new ExponentialBackoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(500), seed: 1),
    };

    private static MqttServerEndpoint At(int port) => new("127.0.0.1", port);

    /// <summary>
    /// Why the assertions are what they are. Mosquitto here has no bridge and no persistence, so A and B share nothing:
    /// <list type="bullet">
    /// <item>A message A acknowledged is done for the client: it is never sent again. If A had not yet delivered it to its
    /// subscriber when it was killed, it is lost, and that is A's loss (a broker that acks and then dies without storing),
    /// which no client can repair. It is measured and printed, not asserted away.</item>
    /// <item>A message A did not acknowledge stays held by the client and is re-sent to B after the failover, so B's
    /// subscriber must see it; so must it see every message published after the failover.</item>
    /// <item>Nothing accepted is dropped: every PublishAsync completes (acknowledged by A or by B), none fails.</item>
    /// </list>
    /// One link at a time and PUBACKs in order mean A acknowledged exactly the first <c>ackedByA</c> messages (the count the
    /// client had at the moment it lost A), so the messages B's subscriber must see are exactly the rest.
    /// </summary>
    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task Killing_broker_A_mid_stream_moves_the_publisher_to_B_and_every_message_not_acked_by_A_reaches_B()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // safety net only
        await using var a = await MosquittoBroker.StartAsync(limit.Token);
        await using var b = await MosquittoBroker.StartAsync(limit.Token);

        var onA = new ConcurrentDictionary<int, bool>();
        var onB = new ConcurrentDictionary<int, bool>();
        await using var subA = new MqttClient(Options("fo-sub-a", At(a.Port)));
        await using var subB = new MqttClient(Options("fo-sub-b", At(b.Port)));
        Task readA = await SubscribeAsync(subA, onA, limit.Token);
        Task readB = await SubscribeAsync(subB, onB, limit.Token);

        await using var publisher = new MqttClient(Options("fo-pub", At(a.Port), At(b.Port)));
        long ackedByA = -1;
        var connectedTo = new ConcurrentQueue<MqttServerEndpoint?>();
        publisher.ConnectionChanged += (_, e) =>
        {
            if (e.Change == MqttConnectionChange.LinkLost && ackedByA < 0)
            {
                // Raised on the client's loop after every PUBACK that arrived on A: the count is A's exactly.
                ackedByA = publisher.Statistics.Acknowledged;
            }
            else if (e.Change == MqttConnectionChange.Connected)
            {
                connectedTo.Enqueue(e.Server);
            }
        };
        await publisher.ConnectAsync(limit.Token);

        var publishes = new Task[Messages];
        for (int i = 0; i < Messages; i++)
        {
            if (i >= Window)
            {
                await publishes[i - Window].WaitAsync(limit.Token);
            }

            if (i == Messages / 2)
            {
                await a.KillAsync();
            }

            publishes[i] = publisher.PublishAsync("fo/" + i.ToString(CultureInfo.InvariantCulture), i.ToString(CultureInfo.InvariantCulture),
                MqttQualityOfService.AtLeastOnce, cancellationToken: limit.Token);
        }

        await Task.WhenAll(publishes).WaitAsync(limit.Token); // throws if any accepted message failed
        int acceptedCount = publishes.Length;
        long acknowledged = publisher.Statistics.Acknowledged;
        int firstOnB = (int)ackedByA;
        int[] mustReachB = Enumerable.Range(firstOnB, Messages - firstOnB).ToArray();
        while (!mustReachB.All(onB.ContainsKey))
        {
            await Task.Delay(20, limit.Token); // B delivers on its own clock; the limit is only a safety net
        }

        int[] lostByA = Enumerable.Range(0, firstOnB).Where(i => !onA.ContainsKey(i) && !onB.ContainsKey(i)).ToArray();
        int delivered = Enumerable.Range(0, Messages).Count(i => onA.ContainsKey(i) || onB.ContainsKey(i));
        output.WriteLine($"accepted {acceptedCount}, acked by A {ackedByA}, acked by B {acknowledged - ackedByA}, delivered {delivered} "
            + $"(on A's subscriber {onA.Count}, on B's {onB.Count}); lost by A (acked, never delivered before SIGKILL): {lostByA.Length}"
            + (lostByA.Length == 0 ? "" : " [" + string.Join(",", lostByA) + "]"));

        Assert.Equal(Messages, acknowledged);
        Assert.InRange(ackedByA, 1, Messages - 1); // A died mid-stream, with messages both sides of the failover
        Assert.Equal([At(a.Port).ToString(), At(b.Port).ToString()], connectedTo.Select(s => s?.ToString()));
        // Every message A did not acknowledge reached B, and none that A acknowledged was sent again.
        Assert.All(mustReachB, i => Assert.True(onB.ContainsKey(i), $"message {i}, not acked by A, never reached B"));
        Assert.DoesNotContain(onB.Keys, i => i < firstOnB);
        Assert.Equal(Messages, delivered + lostByA.Length);
    }

    [Fact]
    public async Task A_refused_first_server_moves_the_connect_to_the_second_and_the_events_name_each()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var broker = await InProcessMqttnetBroker.StartAsync(limit.Token);
        int closed = LoopbackPorts.FindFree(); // nothing listens there: the connect is refused
        await using var client = new MqttClient(Options("fo-refused", At(closed), At(broker.Port)));
        var changes = new ConcurrentQueue<MqttConnectionEventArgs>();
        client.ConnectionChanged += (_, e) => changes.Enqueue(e);

        await client.ConnectAsync(limit.Token);

        MqttConnectionEventArgs[] seen = [.. changes];
        Assert.Equal(MqttConnectionChange.AttemptFailed, seen[0].Change);
        Assert.Equal(closed, seen[0].Server?.Port);
        Assert.Equal(MqttConnectionChange.Connected, seen[^1].Change);
        Assert.Equal(broker.Port, seen[^1].Server?.Port);
    }

    private static async Task<Task> SubscribeAsync(MqttClient client, ConcurrentDictionary<int, bool> seen, CancellationToken cancellationToken)
    {
        await client.ConnectAsync(cancellationToken);
        await client.SubscribeAsync("fo/#", MqttQualityOfService.AtLeastOnce, cancellationToken);
        return Task.Run(async () =>
        {
            try
            {
                await foreach (MqttMessage m in client.ReadMessagesAsync(cancellationToken))
                {
                    seen[int.Parse(m.PayloadText, CultureInfo.InvariantCulture)] = true;
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None);
    }
}
