using System.Threading.Channels;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.PropertyTests.Fixtures.Logging;
using StateMachineMqtt.PropertyTests.Fixtures.MaliciousBroker;
using StateMachineMqtt.TestKit.Proxy;

namespace StateMachineMqtt.PropertyTests.Resilience.Hostile;

/// <summary>
/// Slowloris: after CONNACK the broker holds the client's QoS 1 message and trickles a PUBLISH a byte at a time, never
/// finishing it, with gaps longer than the keepalive. The partial packet must not stop the client from noticing the
/// silence (I5): it declares the link dead one keepalive after the last byte, says so, reconnects and re-sends the message.
/// Keepalive 1 s (the shortest), byte gaps 3 s, so the wall time is about a second and the margin two.
/// <para>
/// Not covered, by design: bytes that come faster than the keepalive keep the link alive however slowly the packet
/// completes (a large message on a slow link, I5; EngineKeepAliveTests), so such a trickle holds a link open. Bounding it
/// needs a rule in spec/ (a rate, or whole packets per period); see the issue 12 note.
/// </para>
/// </summary>
public sealed class SlowlorisBrokerTests
{
    [Fact]
    public async Task A_broker_trickling_a_packet_slower_than_the_keepalive_does_not_hang_the_client()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        CancellationToken token = timeout.Token;
        var logs = new CapturingLoggerFactory();
        await using var broker = MaliciousBroker.Start(TrickleAsync);
        await using var client = new MqttClient(MaliciousBrokerTests.Options(broker.Port, keepAlive: TimeSpan.FromSeconds(1)), loggerFactory: logs);
        var changes = Channel.CreateUnbounded<MqttConnectionEventArgs>();
        client.ConnectionChanged += (_, e) => changes.Writer.TryWrite(e);
        try
        {
            await client.ConnectAsync(token);
            await client.PublishAsync("hostile/1", "m1", MqttQualityOfService.AtLeastOnce, cancellationToken: token);

            MqttConnectionEventArgs down = await MaliciousBrokerTests.FirstAsync(changes.Reader, e => !e.IsConnected, token);
            Assert.Contains("keepalive", down.Reason, StringComparison.Ordinal);
            Assert.Equal("client closed", await broker.Connections[0].Ended.WaitAsync(token));
            MqttFrame resent = Assert.Single(broker.Connections[1].Received, f => f.Type == MqttPacketType.Publish);
            Assert.True(resent.Dup);
            Assert.Equal(1, client.Statistics.Acknowledged);
            await client.DisconnectAsync(token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"slowloris: gave up after 20 s. {client.Statistics}, connected {client.IsConnected}, "
                + $"connections {broker.Connections.Count}:{Environment.NewLine}{logs.Transcript()}");
        }
    }

    private static async Task TrickleAsync(ScriptedConnection connection, CancellationToken token)
    {
        await connection.ExpectAsync(MqttPacketType.Connect, token);
        await connection.SendAsync(HostilePackets.ConnAck(sessionPresent: false), token);
        await connection.ExpectAsync(MqttPacketType.Publish, token);
        // A PUBLISH announcing 120 bytes (within the maximum), then its body a byte at a time while the client listens.
        await connection.SendAsync([0x30, 120], token);
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(token);
        Task untilClosed = connection.AwaitClientCloseAsync(closed.Token);
        for (int i = 0; i < 119 && !untilClosed.IsCompleted; i++)
        {
            await connection.SendAsync([i == 0 ? (byte)0 : (byte)'x'], token);
            await Task.WhenAny(untilClosed, Task.Delay(TimeSpan.FromSeconds(3), token));
        }

        await untilClosed;
    }
}
