using System.Text;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Store;
using StateMachineMqtt.TestKit;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Store;

/// <summary>
/// A client with a durable store, made again after the first was dropped: what PublishDurableAsync reported durable while
/// no broker was reachable reaches the broker from the second client, and once acknowledged it is never replayed by a third.
/// In-process, so the client's own store plumbing (recovery, restore, the loop's records) is exercised under coverage; the
/// SIGKILL test (StoreKillTests) checks the same promise across real process kills.
/// </summary>
public sealed class ClientRestartTests : IDisposable
{
    private const string ClientId = "restart-1";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "smqtt-restart-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Messages_stored_before_any_broker_answered_are_delivered_by_the_next_client_and_never_replayed_once_acknowledged(bool inMemory)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var memory = inMemory ? new InMemorySessionStore() : null;
        MqttClientOptions Options(int port) => new()
        {
            Server = "127.0.0.1",
            Port = port,
            ClientId = ClientId,
            CleanSession = false,
            StoreDirectory = inMemory ? null : _directory,
            SessionStore = memory,
        };

        // First life: nothing listens, so nothing can be acknowledged; the store alone makes the messages safe.
        await using (var first = new MqttClient(Options(LoopbackPorts.FindFree())))
        {
            Task connecting = first.ConnectAsync(limit.Token);
            _ = connecting.ContinueWith(t => _ = t.Exception, TaskScheduler.Default); // it never succeeds; disposal ends it
            for (int i = 1; i <= 3; i++)
            {
                await first.PublishDurableAsync("restart/" + i, Encoding.UTF8.GetBytes("m" + i), MqttQualityOfService.AtLeastOnce, cancellationToken: limit.Token);
            }

            Assert.False(first.IsConnected);
        }

        await using var broker = await InProcessMqttnetBroker.StartAsync(limit.Token);
        await using (var second = new MqttClient(Options(broker.Port)))
        {
            Assert.Equal(3, second.StoreRecovery!.Snapshot.Messages.Length);
            await second.ConnectAsync(limit.Token);
            var received = new List<string>();
            while (received.Count < 3)
            {
                BrokerMessage m = await broker.Received.ReadAsync(limit.Token);
                Assert.Equal(ClientId, m.ClientId);
                received.Add(m.Topic + "=" + m.PayloadText);
            }

            Assert.Equal(["restart/1=m1", "restart/2=m2", "restart/3=m3"], received);

            // Restored messages have no caller to tell: the counter says when their PUBACKs have come, and with them the
            // completion records, which the store has written before the client lets go of it.
            Assert.True(
                await Polling.WaitUntilAsync(() => second.Statistics.Acknowledged >= 3, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(10), TimeProvider.System, limit.Token),
                "the restored messages were never acknowledged");

            await second.DisconnectAsync(limit.Token);
        }

        await using var third = new MqttClient(Options(broker.Port));
        Assert.Empty(third.StoreRecovery!.Snapshot.Messages);
        Assert.Equal(0, third.StoreRecovery.DroppedBytes);
    }
}
