using MQTTnet.Protocol;
using MQTTnet.Server;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using StateMachineMqtt.Spec;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Integration;

/// <summary>
/// A real broker's MQTT 5 DISCONNECT reaches the caller with its reason code, reason string and Server Reference, and the
/// client reconnects. The broker is the in-process MQTTnet server, which can end a client's link with any reason:
/// Mosquitto 2.0.11 does not send one when a second client takes the session over (it just closes the socket).
/// </summary>
public class Mqtt5DisconnectAgainstRealBrokersTests
{
    [Fact]
    public async Task The_brokers_DISCONNECT_reason_and_Server_Reference_reach_the_caller_and_the_client_reconnects()
    {
        await using var broker = await InProcessMqttnetBroker.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var client = new MqttClient(new MqttClientOptions
        {
            ProtocolVersion = MqttProtocolVersion.V500,
            ClientId = "kicked",
            Server = "127.0.0.1",
            Port = broker.Port,
            ReconnectPolicy = new ExponentialBackoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), seed: 1),
        });
        var changes = new List<MqttConnectionEventArgs>();
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ConnectionChanged += (_, e) =>
        {
            lock (changes)
            {
                changes.Add(e);
                if (e.Change == MqttConnectionChange.Connected && changes.Count > 1)
                {
                    reconnected.TrySetResult();
                }
            }
        };
        await client.ConnectAsync(timeout.Token);

        await broker.Server.DisconnectClientAsync("kicked", new MqttServerClientDisconnectOptions
        {
            ReasonCode = MqttDisconnectReasonCode.UseAnotherServer,
            ReasonString = "moving you",
            ServerReference = "other.example:1883",
        });
        await reconnected.Task.WaitAsync(timeout.Token);

        MqttConnectionEventArgs lost;
        lock (changes)
        {
            lost = Assert.Single(changes, c => c.Change == MqttConnectionChange.LinkLost);
        }

        Assert.True(lost.DisconnectReasonCode == 0x9C, lost.Reason);
        Assert.Equal("other.example:1883", lost.ServerReference);
        Assert.Contains("0x9C (Use another server): moving you", lost.Reason, StringComparison.Ordinal);
        Assert.True(client.IsConnected);
    }
}
