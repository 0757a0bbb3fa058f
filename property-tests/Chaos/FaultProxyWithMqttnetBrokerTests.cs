using StateMachineMqtt.TestKit.Brokers;
using StateMachineMqtt.TestKit.Proxy;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using StateMachineMqtt.Protocol;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Chaos;

/// <summary>The proxy in front of a real broker (in-process MQTTnet), driven by MQTTnet's own client.</summary>
public sealed class FaultProxyWithMqttnetBrokerTests
{
    [Fact]
    public async Task Relays_a_real_session_and_cuts_between_PUBLISH_and_PUBACK()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // hang guard only
        var token = timeout.Token;
        await using var broker = await InProcessMqttnetBroker.StartAsync(token);
        await using var proxy = FaultProxy.Start("127.0.0.1", broker.Port);

        await using (var probe = await MqttnetProbeClient.ConnectAsync(proxy.Port, "probe-1", cancellationToken: token))
        {
            await probe.PublishAsync("chaos/ok", "1", qualityOfService: 1, cancellationToken: token);
            Assert.Equal("chaos/ok", (await broker.WaitForMessageAsync("chaos/ok", token)).Topic);
            // The proxy counts a packet after its write returns, which can be after the client has read it: await the count.
            await proxy.Counters.WhenForwarded(ProxyDirection.BrokerToClient, MqttPacketType.PubAck, 1).WaitAsync(token);
            Assert.Equal(1, proxy.Counters.Forwarded(ProxyDirection.BrokerToClient, MqttPacketType.PubAck));
            Assert.Equal(1, proxy.Counters.Forwarded(ProxyDirection.BrokerToClient, MqttPacketType.ConnAck));

            var cut = proxy.CutNextPublish();
            var publish = probe.PublishAsync("chaos/cut", "2", qualityOfService: 1, cancellationToken: token);
            await cut.WaitAsync(token);
            Assert.Equal("chaos/cut", (await broker.WaitForMessageAsync("chaos/cut", token)).Topic); // the broker has it
            await Assert.ThrowsAnyAsync<Exception>(() => publish); // the client lost the link before the PUBACK
            Assert.Equal(1, proxy.Counters.Dropped(ProxyDirection.BrokerToClient, MqttPacketType.PubAck));
        }

        await using var second = await MqttnetProbeClient.ConnectAsync(proxy.Port, "probe-2", cancellationToken: token);
        Assert.Equal(2, proxy.ConnectionsAccepted);
    }
}
