using Xunit;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Fixtures.Brokers;

public sealed class InProcessMqttnetBrokerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_broker_reports_each_received_publish_with_its_client_and_flags()
    {
        await using InProcessMqttnetBroker broker = await InProcessMqttnetBroker.StartAsync();
        using var timeout = new CancellationTokenSource(Patience);

        await using MqttnetProbeClient client = await MqttnetProbeClient.ConnectAsync(broker.Port, "publisher", cancellationToken: timeout.Token);
        await client.PublishAsync("fixtures/one", "first", 1, retain: true, cancellationToken: timeout.Token);
        await client.PublishAsync("fixtures/two", "second", 0, cancellationToken: timeout.Token);

        BrokerMessage two = await broker.WaitForMessageAsync("fixtures/two", timeout.Token);
        Assert.Equal("second", two.PayloadText);
        BrokerMessage one = Assert.Single(broker.ReceivedSoFar, m => m.Topic == "fixtures/one");
        Assert.Equal(("publisher", "first", 1, true, false), (one.ClientId, one.PayloadText, one.QualityOfService, one.Retain, one.Duplicate));
    }

    [Fact]
    public async Task The_broker_relays_to_a_subscriber()
    {
        await using InProcessMqttnetBroker broker = await InProcessMqttnetBroker.StartAsync();
        using var timeout = new CancellationTokenSource(Patience);

        await using MqttnetProbeClient subscriber = await MqttnetProbeClient.ConnectAsync(broker.Port, "sub", cancellationToken: timeout.Token);
        await subscriber.SubscribeAsync("fixtures/+", 1, timeout.Token);
        await using MqttnetProbeClient publisher = await MqttnetProbeClient.ConnectAsync(broker.Port, "pub", cancellationToken: timeout.Token);
        await publisher.PublishAsync("fixtures/relay", "through", 1, cancellationToken: timeout.Token);

        BrokerMessage message = await subscriber.WaitForMessageAsync("fixtures/relay", timeout.Token);
        Assert.Equal("through", message.PayloadText);
    }

    [Fact]
    public async Task Two_brokers_get_different_ports_and_disposal_frees_the_port()
    {
        InProcessMqttnetBroker first = await InProcessMqttnetBroker.StartAsync();
        await using InProcessMqttnetBroker second = await InProcessMqttnetBroker.StartAsync();
        Assert.NotEqual(first.Port, second.Port);

        await first.DisposeAsync();

        using var timeout = new CancellationTokenSource(Patience);
        Assert.False(await LoopbackPorts.AcceptsAsync(first.Port, timeout.Token));
        Assert.True(await LoopbackPorts.AcceptsAsync(second.Port, timeout.Token));
    }
}
