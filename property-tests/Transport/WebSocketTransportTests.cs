using System.Security.Cryptography.X509Certificates;
using MQTTnet.Server;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt.PropertyTests.Transport;

/// <summary>
/// MQTT over WebSockets (issue #12 item 6): ws:// and wss:// (subprotocol "mqtt") against the MQTTnet broker's WebSocket
/// endpoint on a loopback Kestrel host, with a certificate made in the test for wss.
/// </summary>
public sealed class WebSocketTransportTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static MqttClientOptions Options(string clientId, MqttServerEndpoint server, MqttTlsOptions? tls = null) => new()
    {
        ClientId = clientId,
        Servers = [server],
        Tls = tls,
        KeepAlive = TimeSpan.FromSeconds(5),
        ResponseTime = TimeSpan.FromSeconds(2),
        ReconnectPolicy = new ExponentialBackoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(500), seed: 1),
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Publishes_and_receives_at_QoS_0_and_1_over_ws_and_wss(bool secure)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30)); // safety net only
        using TestCertificates certificates = TestCertificates.Create();
        await using var broker = await WebSocketMqttnetBroker.StartAsync(secure ? certificates.Server : null, limit.Token);
        var server = new MqttServerEndpoint(secure ? broker.SecureWebSocketUri : broker.WebSocketUri);
        MqttTlsOptions? tls = secure ? new MqttTlsOptions { TrustedCertificateAuthorities = [certificates.Authority] } : null;

        await using var client = new MqttClient(Options(secure ? "wss-client" : "ws-client", server, tls));
        await client.ConnectAsync(limit.Token);
        await client.SubscribeAsync("ws/#", MqttQualityOfService.AtLeastOnce, limit.Token);
        await client.PublishAsync("ws/q0", "zero", MqttQualityOfService.AtMostOnce, cancellationToken: limit.Token);
        await client.PublishAsync("ws/q1", "one", MqttQualityOfService.AtLeastOnce, cancellationToken: limit.Token);

        var got = new Dictionary<string, (string Text, MqttQualityOfService Qos)>();
        await foreach (MqttMessage m in client.ReadMessagesAsync(limit.Token))
        {
            got[m.Topic] = (m.PayloadText, m.QualityOfService);
            if (got.Count == 2)
            {
                break;
            }
        }

        Assert.Equal(("zero", MqttQualityOfService.AtMostOnce), got["ws/q0"]);
        Assert.Equal(("one", MqttQualityOfService.AtLeastOnce), got["ws/q1"]);
        Assert.Equal(1, client.Statistics.Acknowledged);
    }

    [Fact]
    public async Task A_socket_the_server_drops_is_reconnected_and_a_held_QoS_1_message_goes_through()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var broker = await WebSocketMqttnetBroker.StartAsync(null, limit.Token);
        await using var client = new MqttClient(Options("ws-dropped", new MqttServerEndpoint(broker.WebSocketUri)));
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int connects = 0;
        client.ConnectionChanged += (_, e) =>
        {
            if (e.Change == MqttConnectionChange.LinkLost)
            {
                output.WriteLine($"link lost: {e.Reason}");
            }

            if (e.Change == MqttConnectionChange.Connected && Interlocked.Increment(ref connects) == 2)
            {
                reconnected.TrySetResult();
            }
        };
        await client.ConnectAsync(limit.Token);
        await client.SubscribeAsync("drop/#", MqttQualityOfService.AtLeastOnce, limit.Token);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await broker.Server.DisconnectClientAsync("ws-dropped", new MqttServerClientDisconnectOptions());
        output.WriteLine($"DisconnectClientAsync returned after {clock.ElapsedMilliseconds} ms");
        await reconnected.Task.WaitAsync(limit.Token);
        output.WriteLine($"reconnected {clock.ElapsedMilliseconds} ms after the drop");
        await client.PublishAsync("drop/after", "again", MqttQualityOfService.AtLeastOnce, cancellationToken: limit.Token);

        await foreach (MqttMessage m in client.ReadMessagesAsync(limit.Token))
        {
            Assert.Equal("drop/after", m.Topic);
            Assert.Equal("again", m.PayloadText);
            break;
        }

        Assert.True(client.Statistics.LinksLost >= 1);
        Assert.True(client.Statistics.Connects >= 2);
    }

    [Fact]
    public async Task A_path_that_serves_no_MQTT_fails_the_attempt_with_a_clear_cause()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var broker = await WebSocketMqttnetBroker.StartAsync(null, limit.Token);
        var transport = new WebSocketTransport(new Uri($"ws://127.0.0.1:{broker.Port}/not-mqtt"));
        var error = await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(async () => await transport.ConnectAsync(limit.Token));
        Assert.Contains("404", error.Message, StringComparison.Ordinal); // the server's answer, as it gave it
    }

    [Fact]
    public void A_URI_that_is_not_ws_or_wss_is_refused_with_what_to_write()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => new WebSocketTransport(new Uri("http://localhost/mqtt")));
        Assert.Contains("ws://", error.Message, StringComparison.Ordinal);
    }
}
