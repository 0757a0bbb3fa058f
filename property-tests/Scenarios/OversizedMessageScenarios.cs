using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using StateMachineMqtt.PropertyTests.Fixtures.Logging;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>
/// Issue 13, "no poison message", through core's whole client on the simulated network: a message over MaximumPacketSize is
/// read past and acknowledged (the link stays up, the next message arrives), counted in Statistics and the metric, and
/// logged with its topic and size; PublishAsync refuses one the limit forbids, before it is queued, saying what to change.
/// </summary>
public class OversizedMessageScenarios
{
    private static int PubAcksSent(Scenario s) => s.World.Broker.ReceivedFrom(Scenario.ClientId).Count(r => r.Packet is PubAckPacket);

    [Fact]
    public void A_message_over_MaximumPacketSize_is_acknowledged_not_delivered_and_the_next_one_arrives_on_the_same_link()
    {
        var logs = new CapturingLoggerFactory();
        var s = new Scenario(130, o => { o.MaximumPacketSize = 1_024; o.CleanSession = false; }, loggerFactory: logs);
        long metric = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "StateMachineMqtt" && instrument.Name == "mqtt.client.messages.dropped_oversized")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "mqtt.client.id" && (string?)tag.Value == Scenario.ClientId)
                {
                    Interlocked.Add(ref metric, value);
                }
            }
        });
        listener.Start();

        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("a/#")));
        s.World.Broker.Publish("a/big", new byte[2_000_000]);
        s.World.Broker.Publish("a/small", "hello"u8.ToArray());

        Task<MqttMessage> next = s.World.Start(async () =>
        {
            await foreach (MqttMessage m in s.Client.ReadMessagesAsync())
            {
                return m;
            }

            throw new InvalidOperationException("the stream ended");
        });
        MqttMessage message = s.Await(next);
        s.RunFor(TimeSpan.FromMilliseconds(10));

        Assert.Equal("a/small", message.Topic);
        Assert.Equal(2, PubAcksSent(s)); // the broker will not send the big one again
        Assert.Equal(1, s.World.Network.LinksOpened);
        Assert.True(s.Client.IsConnected);
        Assert.Equal(1, s.Client.Statistics.DroppedOversized);
        Assert.Equal(1, s.Client.Statistics.Received);
        Assert.Equal(1, Interlocked.Read(ref metric));
        string warning = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("a/big", StringComparison.Ordinal)).Message;
        Assert.Equal(
            "received PUBLISH to \"a/big\" (QoS 1, 2000013 bytes) dropped, not delivered: larger than the maximum packet size of 1024 bytes; acknowledged, so the broker does not send it again. "
            + "Raise MqttClientOptions.MaximumPacketSize to receive such messages, or have the publisher send smaller ones.",
            warning);
        s.AssertConformant();
    }

    [Fact]
    public void PublishAsync_refuses_a_message_over_MaximumPacketSize_before_it_is_queued_naming_the_size_the_limit_and_the_option()
    {
        var s = new Scenario(131, o => o.MaximumPacketSize = 1_024);
        s.Connect();

        Task publish = s.Start(c => c.PublishAsync("out/big", new byte[1_020], MqttQualityOfService.AtLeastOnce));
        s.RunFor(TimeSpan.FromMilliseconds(10));

        var error = Assert.IsType<ArgumentException>(Scenario.Failure(publish));
        Assert.Equal("payload", error.ParamName);
        Assert.StartsWith(
            "The PUBLISH to \"out/big\" would be 1,034 bytes on the wire (1,020 payload bytes), more than MaximumPacketSize (1,024 bytes), which bounds the packets this client sends as well as those it accepts. "
            + "It was not sent: a peer with that limit would close the link over it. Send a smaller payload, or raise MqttClientOptions.MaximumPacketSize",
            error.Message,
            StringComparison.Ordinal);
        Assert.DoesNotContain(s.World.Broker.ReceivedFrom(Scenario.ClientId), r => r.Packet is PublishPacket);
        Assert.Equal(0, s.Client.Statistics.Accepted);

        // At the limit exactly, it goes: 1 + 2 + 2 + 7 + 2 + 1,010 = 1,024 bytes.
        s.Await(s.Start(c => c.PublishAsync("out/big", new byte[1_010], MqttQualityOfService.AtLeastOnce)));
        Assert.True(s.Client.IsConnected);
    }

    [Fact]
    public void A_too_large_publish_is_refused_at_once_even_while_others_wait_for_room()
    {
        var s = new Scenario(132, o => { o.MaximumPacketSize = 1_024; o.MaxQueuedMessages = 1; });
        // Not connected yet (the broker is down): the first message fills the queue and the second waits for room.
        s.World.Broker.Stop();
        Task connect = s.Start(c => c.ConnectAsync());
        Task first = s.Start(c => c.PublishAsync("q", new byte[1], MqttQualityOfService.AtLeastOnce));
        Task waiting = s.Start(c => c.PublishAsync("q", new byte[1], MqttQualityOfService.AtLeastOnce));
        Task tooLarge = s.Start(c => c.PublishAsync("q", new byte[2_000], MqttQualityOfService.AtLeastOnce));
        s.RunFor(TimeSpan.FromMilliseconds(10));

        Assert.IsType<ArgumentException>(Scenario.Failure(tooLarge));
        Assert.False(first.IsCompleted);
        Assert.False(waiting.IsCompleted);

        s.World.Broker.Start();
        s.Await(connect);
        s.Await(Task.WhenAll(first, waiting));
    }

    [Fact]
    public void An_oversized_packet_of_another_type_still_closes_the_link()
    {
        var s = new Scenario(133, o => o.MaximumPacketSize = 16);
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("a/very/long/topic/filter/beyond/sixteen/bytes")), TimeSpan.FromSeconds(5));

        // The SUBACK is 5 bytes; a PUBLISH whose topic alone exceeds 16 bytes cannot be read past either.
        s.World.Broker.Publish("a/very/long/topic/filter/beyond/sixteen/bytes", "x"u8.ToArray());
        Assert.True(s.RunUntil(() => s.World.Network.LinksOpened >= 2, TimeSpan.FromSeconds(10)));
        Assert.Equal(0, s.Client.Statistics.DroppedOversized);
        Assert.Contains(s.Events, e => e.Event.Change == MqttConnectionChange.LinkLost && e.Event.Reason.Contains("cannot even be read past", StringComparison.Ordinal));
    }
}
