using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>Inbound messages: in order (I9), acknowledged only once queued for the application, nothing lost to a slow reader.</summary>
public class ReceiveScenarios
{
    private static List<MqttMessage> ReadAll(Scenario s, int count)
    {
        var read = s.World.Start(async () =>
        {
            var messages = new List<MqttMessage>();
            await foreach (var m in s.Client.ReadMessagesAsync())
            {
                messages.Add(m);
                if (messages.Count == count)
                {
                    break;
                }
            }

            return messages;
        });
        return s.Await(read, TimeSpan.FromSeconds(30));
    }

    private static int PubAcksSent(Scenario s) => s.World.Broker.ReceivedFrom(Scenario.ClientId).Count(r => r.Packet is PubAckPacket);

    [Fact]
    public void Messages_arrive_in_order_and_QoS_1_is_acknowledged()
    {
        var s = new Scenario(60);
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("a/#")));
        for (int i = 0; i < 20; i++)
        {
            s.World.Broker.Publish("a/x", new[] { (byte)i });
        }

        Assert.Equal(Enumerable.Range(0, 20), ReadAll(s, 20).Select(m => (int)m.Payload.Span[0]));
        Assert.Equal(20, PubAcksSent(s));
        s.AssertConformant();
    }

    [Fact]
    public void A_slow_reader_holds_back_acknowledgements_instead_of_losing_messages()
    {
        var s = new Scenario(61, o => o.ReceiveQueueLength = 2);
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("a/#")));
        for (int i = 0; i < 6; i++)
        {
            s.World.Broker.Publish("a/x", new[] { (byte)i });
        }

        s.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(2, PubAcksSent(s));

        Assert.Equal(Enumerable.Range(0, 6), ReadAll(s, 6).Select(m => (int)m.Payload.Span[0]));
        s.RunFor(TimeSpan.FromMilliseconds(10));
        Assert.Equal(6, PubAcksSent(s));
        s.AssertConformant();
    }

    [Fact]
    public void A_packet_that_arrives_while_reading_is_paused_is_read_once_the_application_makes_room()
    {
        // Regression: the paused read loop waited through WaitAsync, whose continuation ran on the thread pool, outside
        // the loop's scheduler; here it never resumed, the link went silent and keepalive ended it.
        var s = new Scenario(63, o => o.ReceiveQueueLength = 1);
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("a/#")));
        s.World.Broker.Publish("a/x", new byte[] { 0 });
        s.World.Broker.Publish("a/x", new byte[] { 1 });
        s.RunFor(TimeSpan.FromMilliseconds(100)); // both queues are full now: the client reads nothing more
        s.World.Broker.Publish("a/x", new byte[] { 2 }, MqttQualityOfService.AtMostOnce);
        s.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal([0, 1, 2], ReadAll(s, 3).Select(m => (int)m.Payload.Span[0]));
        Assert.Equal(1, s.World.Network.LinksOpened);
        s.AssertConformant();
    }

    [Fact]
    public void QoS_1_messages_unacknowledged_when_the_link_dropped_are_redelivered_on_the_resumed_session()
    {
        var s = new Scenario(62, o => o.CleanSession = false);
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("a/#")));
        s.World.Broker.Faults.DropIncoming(MqttPacketType.PubAck, 1);
        s.World.Broker.Publish("a/x", new byte[] { 9 });
        s.RunFor(TimeSpan.FromMilliseconds(10));
        s.World.Network.LastLink!.Reset();
        Assert.True(s.RunUntil(() => s.World.Network.LinksOpened == 2 && s.Client.IsConnected, TimeSpan.FromSeconds(30)));

        var messages = ReadAll(s, 2);
        Assert.All(messages, m => Assert.Equal(9, m.Payload.Span[0]));
        Assert.True(messages[1].Dup);
        s.AssertConformant();
    }

    [Fact]
    public void A_second_concurrent_reader_throws_and_the_first_keeps_every_message()
    {
        var s = new Scenario(63);
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("a/#")));
        var first = new List<int>();
        Task firstReader = s.World.Start(async () =>
        {
            await foreach (var m in s.Client.ReadMessagesAsync())
            {
                first.Add(m.Payload.Span[0]);
            }
        });
        s.World.Broker.Publish("a/x", new byte[] { 0 });
        Assert.True(s.RunUntil(() => first.Count == 1, TimeSpan.FromSeconds(5)), s.Describe());

        Task secondReader = s.World.Start(async () =>
        {
            await foreach (var m in s.Client.ReadMessagesAsync())
            {
                first.Add(-1); // never: the second reader gets nothing
            }
        });
        s.RunFor(TimeSpan.FromMilliseconds(10));
        var error = Assert.IsType<InvalidOperationException>(Scenario.Failure(secondReader));
        Assert.Contains("already being read", error.Message, StringComparison.Ordinal);
        Assert.Contains("SubscribeStreamAsync", error.Message, StringComparison.Ordinal);

        for (int i = 1; i < 20; i++)
        {
            s.World.Broker.Publish("a/x", new[] { (byte)i });
        }

        Assert.True(s.RunUntil(() => first.Count == 20, TimeSpan.FromSeconds(5)), s.Describe());
        Assert.Equal(Enumerable.Range(0, 20), first);
        Assert.False(firstReader.IsCompleted);
        s.AssertConformant();
    }

    [Fact]
    public void Reading_again_after_the_first_reader_ended_continues_where_it_stopped()
    {
        var s = new Scenario(64);
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("a/#")));
        for (int i = 0; i < 6; i++)
        {
            s.World.Broker.Publish("a/x", new[] { (byte)i });
        }

        Assert.Equal([0, 1], ReadAll(s, 2).Select(m => (int)m.Payload.Span[0]));
        Assert.Equal([2, 3], ReadAll(s, 2).Select(m => (int)m.Payload.Span[0]));

        // A reader whose token fires ends too, and frees the client for the next one.
        using var cancel = new CancellationTokenSource();
        Task cancelled = s.World.Start(async () =>
        {
            await foreach (var m in s.Client.ReadMessagesAsync(cancel.Token))
            {
                await cancel.CancelAsync();
            }
        });
        s.RunFor(TimeSpan.FromMilliseconds(10));
        Assert.IsAssignableFrom<OperationCanceledException>(Scenario.Failure(cancelled));

        Assert.Equal([5], ReadAll(s, 1).Select(m => (int)m.Payload.Span[0]));
        s.AssertConformant();
    }
}
