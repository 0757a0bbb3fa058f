using System.Threading.Channels;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.PropertyTests.Fixtures.Logging;
using StateMachineMqtt.PropertyTests.Fixtures.MaliciousBroker;
using StateMachineMqtt.TestKit.Proxy;

namespace StateMachineMqtt.PropertyTests.Resilience.Hostile;

/// <summary>
/// Issue 12, hostile input: a broker that misbehaves on its first connection (HostileBrokerCases) and behaves on the next.
/// For each case the client neither crashes nor hangs; for a protocol violation it closes the link, says why, reconnects
/// and re-sends the QoS 1 message it had accepted (with DUP), which is then acknowledged; for what the specification
/// allows, it ignores the packets, says so in its log, and stays connected. Real loopback TCP, short timeouts as a safety
/// net only.
/// </summary>
public sealed class MaliciousBrokerTests
{
    public static TheoryData<string> Cases => HostileBrokerCases.Names();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_broker_neither_crashes_nor_hangs_the_client_and_loses_no_accepted_message(string name)
    {
        HostileBrokerCase hostile = HostileBrokerCases.All.Single(c => c.Name == name);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        CancellationToken token = timeout.Token;
        var logs = new CapturingLoggerFactory();
        await using var broker = MaliciousBroker.Start((c, t) => FirstConnectionAsync(c, hostile, t));
        await using var client = new MqttClient(Options(broker.Port), loggerFactory: logs);
        var changes = Channel.CreateUnbounded<MqttConnectionEventArgs>();
        client.ConnectionChanged += (_, e) => changes.Writer.TryWrite(e);
        try
        {
            await client.ConnectAsync(token);
            Task publish = client.PublishAsync("hostile/1", "m1", MqttQualityOfService.AtLeastOnce, cancellationToken: token);
            Task subscribe = hostile.Subscribes ? client.SubscribeAsync("s/#", MqttQualityOfService.AtLeastOnce, token) : Task.CompletedTask;
            await publish;
            await subscribe;

            ScriptedConnection first = broker.Connections[0];
            if (hostile.Reason is null)
            {
                Assert.Single(broker.Connections);
                Assert.Equal(0, client.Statistics.LinksLost);
                Assert.True(client.IsConnected);
                if (hostile.Ignored is not null)
                {
                    Assert.Contains(hostile.Ignored, logs.Transcript(), StringComparison.Ordinal);
                }
            }
            else
            {
                string ended = await first.Ended.WaitAsync(token);
                Assert.True(ended is "client closed" or "client reset" or "broker closed", $"the first connection ended: {ended}");
                MqttConnectionEventArgs down = await FirstAsync(changes.Reader, e => !e.IsConnected, token);
                Assert.Contains(hostile.Reason, down.Reason, StringComparison.Ordinal);
                Assert.False(string.IsNullOrWhiteSpace(down.Reason));
                Assert.True(broker.Connections.Count >= 2, "the client did not reconnect");
                MqttFrame[] published = [.. broker.Connections[1].Received.Where(f => f.Type == MqttPacketType.Publish)];
                MqttFrame resent = Assert.Single(published);
                Assert.Equal("m1", System.Text.Encoding.UTF8.GetString(resent.PublishPayload.Span));
                Assert.Equal(!hostile.BeforeConnAck, resent.Dup);
            }

            Assert.Equal(1, client.Statistics.Acknowledged);
            await client.DisconnectAsync(token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"{name}: gave up after 30 s. {client.Statistics}, connected {client.IsConnected}, "
                + $"connections {broker.Connections.Count}:{Environment.NewLine}{logs.Transcript()}");
        }
    }

    internal static MqttClientOptions Options(int port, TimeSpan? keepAlive = null) => new()
    {
        ClientId = "hostile",
        Server = "127.0.0.1",
        Port = port,
        KeepAlive = keepAlive ?? TimeSpan.FromSeconds(10),
        ResponseTime = TimeSpan.FromSeconds(10),
        // A persistent session, so a resume re-sends the held message as MQTT requires [MQTT-4.4.0-1].
        CleanSession = false,
        ReconnectPolicy = new ExponentialBackoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), seed: 1),
    };

    internal static async Task<MqttConnectionEventArgs> FirstAsync(ChannelReader<MqttConnectionEventArgs> changes, Func<MqttConnectionEventArgs, bool> match, CancellationToken token)
    {
        while (true)
        {
            MqttConnectionEventArgs e = await changes.ReadAsync(token);
            if (match(e))
            {
                return e;
            }
        }
    }

    // The first connection: accept, hold the QoS 1 message (and the SUBSCRIBE), misbehave, then see what the client does.
    private static async Task FirstConnectionAsync(ScriptedConnection connection, HostileBrokerCase hostile, CancellationToken token)
    {
        await connection.ExpectAsync(MqttPacketType.Connect, token);
        if (hostile.BeforeConnAck)
        {
            await hostile.Misbehave(connection, default, token);
            await connection.AwaitClientCloseAsync(token);
            return;
        }

        await connection.SendAsync(HostilePackets.ConnAck(sessionPresent: false), token);
        MqttFrame publish = await connection.ExpectAsync(MqttPacketType.Publish, token);
        ushort subscribeId = hostile.Subscribes ? (await connection.ExpectAsync(MqttPacketType.Subscribe, token)).PacketIdentifier!.Value : (ushort)0;
        await hostile.Misbehave(connection, new HeldPackets(publish.PacketIdentifier!.Value, subscribeId), token);
        if (hostile.Reason is null)
        {
            await connection.ServeWellAsync(token);
        }
        else
        {
            await connection.AwaitClientCloseAsync(token);
        }
    }
}
