using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using Xunit;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Fixtures.Brokers;

public sealed class MosquittoBrokerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>The soak broker's settings replace the defaults they name, so each option is set once, to the soak's value.</summary>
    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task The_soak_broker_saves_every_second_and_its_settings_replace_the_defaults()
    {
        await using var broker = await MosquittoBroker.StartForSoakAsync(CancellationToken.None);
        string[] lines = await File.ReadAllLinesAsync(broker.ConfigurationPath);
        Assert.Equal(["max_queued_messages 1000000"], lines.Where(l => l.StartsWith("max_queued_messages ", StringComparison.Ordinal)));
        Assert.Contains("autosave_interval 1", lines);
        Assert.Contains("max_inflight_messages 20", lines);
        Assert.Equal(4, lines.Count(l => l.StartsWith("log_type ", StringComparison.Ordinal)));
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task A_started_broker_relays_a_QoS1_publish_to_a_subscriber()
    {
        await using MosquittoBroker broker = await MosquittoBroker.StartAsync();
        using var timeout = new CancellationTokenSource(Patience);

        await using MqttnetProbeClient subscriber = await MqttnetProbeClient.ConnectAsync(broker.Port, "sub", cancellationToken: timeout.Token);
        await subscriber.SubscribeAsync("fixtures/#", 1, timeout.Token);
        await using MqttnetProbeClient publisher = await MqttnetProbeClient.ConnectAsync(broker.Port, "pub", cancellationToken: timeout.Token);
        await publisher.PublishAsync("fixtures/hello", "world", 1, cancellationToken: timeout.Token);

        BrokerMessage message = await subscriber.WaitForMessageAsync("fixtures/hello", timeout.Token);
        Assert.Equal("world", message.PayloadText);
        Assert.Equal(1, message.QualityOfService);
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task A_killed_broker_refuses_connections_and_restarts_on_the_same_port()
    {
        await using MosquittoBroker broker = await MosquittoBroker.StartAsync();
        int port = broker.Port;
        using var timeout = new CancellationTokenSource(Patience);

        await broker.KillAsync();
        Assert.False(broker.IsRunning);
        Assert.False(await LoopbackPorts.AcceptsAsync(port, timeout.Token));
        await Assert.ThrowsAnyAsync<Exception>(() => MqttnetProbeClient.ConnectAsync(port, "refused", cancellationToken: timeout.Token));

        await broker.RestartAsync(timeout.Token);

        Assert.Equal(port, broker.Port);
        Assert.True(broker.IsRunning);
        await using MqttnetProbeClient client = await MqttnetProbeClient.ConnectAsync(port, "after-restart", cancellationToken: timeout.Token);
        await client.PublishAsync("fixtures/alive", "yes", 1, cancellationToken: timeout.Token);
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task A_stopped_broker_keeps_persistent_sessions_and_queued_messages_across_a_restart()
    {
        await using MosquittoBroker broker = await MosquittoBroker.StartAsync();
        using var timeout = new CancellationTokenSource(Patience);
        await using (MqttnetProbeClient first = await MqttnetProbeClient.ConnectAsync(broker.Port, "durable", cleanSession: false, timeout.Token))
        {
            Assert.False(first.SessionPresent);
            await first.SubscribeAsync("fixtures/queued", 1, timeout.Token);
        }

        await using (MqttnetProbeClient publisher = await MqttnetProbeClient.ConnectAsync(broker.Port, "pub", cancellationToken: timeout.Token))
        {
            await publisher.PublishAsync("fixtures/queued", "held for you", 1, cancellationToken: timeout.Token);
        }

        await broker.StopAsync();
        await broker.RestartAsync(timeout.Token);

        await using MqttnetProbeClient again = await MqttnetProbeClient.ConnectAsync(broker.Port, "durable", cleanSession: false, timeout.Token);
        Assert.True(again.SessionPresent, broker.Log);
        BrokerMessage message = await again.WaitForMessageAsync("fixtures/queued", timeout.Token);
        Assert.Equal("held for you", message.PayloadText);
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task A_killed_broker_forgets_sessions_it_had_not_saved()
    {
        await using MosquittoBroker broker = await MosquittoBroker.StartAsync();
        using var timeout = new CancellationTokenSource(Patience);
        await using (MqttnetProbeClient first = await MqttnetProbeClient.ConnectAsync(broker.Port, "durable", cleanSession: false, timeout.Token))
        {
            await first.SubscribeAsync("fixtures/lost", 1, timeout.Token);
        }

        await broker.KillAsync();
        await broker.RestartAsync(timeout.Token);

        await using MqttnetProbeClient again = await MqttnetProbeClient.ConnectAsync(broker.Port, "durable", cleanSession: false, timeout.Token);
        Assert.False(again.SessionPresent, broker.Log);
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task Disposing_the_broker_frees_its_port()
    {
        MosquittoBroker broker = await MosquittoBroker.StartAsync();
        int port = broker.Port;

        await broker.DisposeAsync();

        using var timeout = new CancellationTokenSource(Patience);
        Assert.False(await LoopbackPorts.AcceptsAsync(port, timeout.Token));
    }
}
