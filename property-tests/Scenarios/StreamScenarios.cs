using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>
/// Subscription streams (SubscribeStreamAsync): each gets just the messages its filter matches, ReadMessagesAsync gets
/// the rest, a full stream holds delivery back without losing anything, one reader per stream, disposal unsubscribes.
/// </summary>
public class StreamScenarios
{
    private static MqttSubscription Subscribe(Scenario s, string filter, MqttQualityOfService qos = MqttQualityOfService.AtLeastOnce) =>
        s.Await(s.Start(c => c.SubscribeStreamAsync(filter, qos)));

    /// <summary>Reads <paramref name="source"/> into <paramref name="into"/> (topic:payload) until it ends.</summary>
    private static Task Read(Scenario s, IAsyncEnumerable<MqttMessage> source, List<string> into) => s.World.Start(async () =>
    {
        await foreach (var m in source)
        {
            into.Add($"{m.Topic}:{m.Payload.Span[0]}");
        }
    });

    private static void Publish(Scenario s, string topic, int value) => s.World.Broker.Publish(topic, new[] { (byte)value });

    private static int Sent<TPacket>(Scenario s) => s.World.Broker.ReceivedFrom(Scenario.ClientId).Count(r => r.Packet is TPacket);

    [Fact]
    public void Two_streams_with_overlapping_filters_both_get_a_message_and_ReadMessagesAsync_gets_what_no_stream_matches()
    {
        var s = new Scenario(200);
        s.Connect();
        MqttSubscription all = Subscribe(s, "sport/#");
        MqttSubscription tennis = Subscribe(s, "sport/tennis/+", MqttQualityOfService.AtMostOnce);
        s.Await(s.Start(c => c.SubscribeAsync("news/#")));
        Assert.Equal(("sport/#", MqttQualityOfService.AtLeastOnce), (all.TopicFilter, all.GrantedQualityOfService));
        Assert.Equal(("sport/tennis/+", MqttQualityOfService.AtMostOnce), (tennis.TopicFilter, tennis.GrantedQualityOfService));

        List<string> fromAll = [], fromTennis = [], fromReader = [];
        Read(s, all, fromAll);
        Read(s, tennis, fromTennis);
        Read(s, s.Client.ReadMessagesAsync(), fromReader);
        Publish(s, "sport/tennis/player1", 1);
        Publish(s, "sport/golf", 2);
        Publish(s, "news/today", 3);
        Publish(s, "sport/tennis/player2", 4);
        Assert.True(s.RunUntil(() => fromAll.Count == 3 && fromTennis.Count == 2 && fromReader.Count == 1, TimeSpan.FromSeconds(5)), s.Describe());
        s.RunFor(TimeSpan.FromMilliseconds(100));

        Assert.Equal(["sport/tennis/player1:1", "sport/golf:2", "sport/tennis/player2:4"], fromAll);
        Assert.Equal(["sport/tennis/player1:1", "sport/tennis/player2:4"], fromTennis);
        Assert.Equal(["news/today:3"], fromReader);
        s.AssertConformant();
    }

    [Fact]
    public void A_full_stream_pauses_delivery_to_every_reader_without_losing_anything_and_resumes_when_read()
    {
        var s = new Scenario(201, o => o.ReceiveQueueLength = 2);
        s.Connect();
        MqttSubscription stream = Subscribe(s, "a/#");
        s.Await(s.Start(c => c.SubscribeAsync("b/#")));
        List<string> fromReader = [];
        Read(s, s.Client.ReadMessagesAsync(), fromReader);
        for (int i = 0; i < 6; i++)
        {
            Publish(s, "a/x", i);
        }

        Publish(s, "b/x", 9); // behind the stream's messages on the one TCP stream
        s.RunFor(TimeSpan.FromSeconds(5));
        Assert.Empty(fromReader); // head-of-line blocking: the stream's queue is full and the engine's holds the next two
        Assert.Equal(2, Sent<PubAckPacket>(s)); // acknowledged only as they entered the stream's queue
        Assert.True(s.Client.IsConnected); // the pause does not count as silence (I5)

        List<string> fromStream = [];
        Read(s, stream, fromStream);
        Assert.True(s.RunUntil(() => fromStream.Count == 6 && fromReader.Count == 1, TimeSpan.FromSeconds(5)), s.Describe());
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"a/x:{i}"), fromStream);
        Assert.Equal(["b/x:9"], fromReader);
        s.RunFor(TimeSpan.FromMilliseconds(10));
        Assert.Equal(7, Sent<PubAckPacket>(s));
        Assert.Equal(0, stream.DroppedMessages);
        s.AssertConformant();
    }

    [Fact]
    public void A_full_stream_pauses_delivery_while_ReadMessagesAsync_is_full_too()
    {
        var s = new Scenario(202, o => o.ReceiveQueueLength = 1);
        s.Connect();
        MqttSubscription stream = Subscribe(s, "a/#");
        s.Await(s.Start(c => c.SubscribeAsync("b/#")));
        Publish(s, "b/x", 0);
        Publish(s, "b/x", 1);
        Publish(s, "a/x", 2);
        s.RunFor(TimeSpan.FromSeconds(1));

        List<string> fromStream = [];
        Read(s, stream, fromStream);
        s.RunFor(TimeSpan.FromSeconds(1));
        Assert.Empty(fromStream); // the unread ReadMessagesAsync holds back the stream's message behind it

        List<string> fromReader = [];
        Read(s, s.Client.ReadMessagesAsync(), fromReader);
        Assert.True(s.RunUntil(() => fromStream.Count == 1 && fromReader.Count == 2, TimeSpan.FromSeconds(5)), s.Describe());
        Assert.Equal(["b/x:0", "b/x:1"], fromReader);
        Assert.Equal(["a/x:2"], fromStream);
        s.AssertConformant();
    }

    [Fact]
    public void Disposing_a_stream_unsubscribes_ends_its_enumeration_and_routes_later_messages_to_ReadMessagesAsync()
    {
        var s = new Scenario(203);
        s.Connect();
        MqttSubscription stream = Subscribe(s, "a/#");
        s.Await(s.Start(c => c.SubscribeAsync("#")));
        List<string> fromStream = [], fromReader = [];
        Task reading = Read(s, stream, fromStream);
        Read(s, s.Client.ReadMessagesAsync(), fromReader);
        Publish(s, "a/x", 1);
        Assert.True(s.RunUntil(() => fromStream.Count == 1, TimeSpan.FromSeconds(5)), s.Describe());

        s.Await(s.World.Start(async () => await stream.DisposeAsync()));
        Assert.Equal(1, Sent<UnsubscribePacket>(s));
        Assert.Equal(["#"], s.World.Broker.SubscriptionsOf(Scenario.ClientId).Keys);
        s.RunFor(TimeSpan.FromMilliseconds(10));
        Assert.True(reading.IsCompletedSuccessfully);

        Publish(s, "a/x", 2); // still delivered through "#": no stream matches it now
        Assert.True(s.RunUntil(() => fromReader.Count == 1, TimeSpan.FromSeconds(5)), s.Describe());
        Assert.Equal(["a/x:1"], fromStream);
        Assert.Equal(["a/x:2"], fromReader);
        Assert.DoesNotContain("a/#", s.Client.SnapshotSubscriptions());

        s.Await(s.World.Start(async () => await stream.DisposeAsync())); // again: nothing more happens
        Assert.Equal(1, Sent<UnsubscribePacket>(s));
        s.AssertConformant();
    }

    [Fact]
    public void Messages_queued_at_disposal_go_to_a_reader_still_reading_and_are_dropped_and_counted_otherwise()
    {
        var s = new Scenario(204);
        s.Connect();
        MqttSubscription unread = Subscribe(s, "a/#");
        MqttSubscription read = Subscribe(s, "b/#");
        for (int i = 0; i < 3; i++)
        {
            Publish(s, "a/x", i);
            Publish(s, "b/x", i);
        }

        s.RunFor(TimeSpan.FromSeconds(1)); // all six queued, three in each stream
        var fromRead = new List<string>();
        Task reading = s.World.Start(async () =>
        {
            await foreach (var m in read)
            {
                fromRead.Add($"{m.Topic}:{m.Payload.Span[0]}");
                if (fromRead.Count == 1)
                {
                    await read.DisposeAsync(); // the reader itself disposes: what was queued still comes, then the end
                }
            }
        });
        s.RunFor(TimeSpan.FromSeconds(1));
        Assert.True(reading.IsCompletedSuccessfully, s.Describe());
        Assert.Equal(["b/x:0", "b/x:1", "b/x:2"], fromRead);
        Assert.Equal(0, read.DroppedMessages);

        s.Await(s.World.Start(async () => await unread.DisposeAsync()));
        Assert.Equal(3, unread.DroppedMessages);
        Assert.Equal(6, Sent<PubAckPacket>(s)); // acknowledged as they were queued: the broker does not send them again
        List<string> afterwards = [];
        s.Await(Read(s, unread, afterwards)); // a disposed stream's enumeration ends at once
        Assert.Empty(afterwards);
        s.AssertConformant();
    }

    [Fact]
    public void A_second_concurrent_reader_of_a_stream_throws_and_reading_again_later_continues()
    {
        var s = new Scenario(205);
        s.Connect();
        MqttSubscription stream = Subscribe(s, "a/#");
        for (int i = 0; i < 4; i++)
        {
            Publish(s, "a/x", i);
        }

        List<string> first = [];
        Task firstReader = s.World.Start(async () =>
        {
            await foreach (var m in stream)
            {
                first.Add($"{m.Topic}:{m.Payload.Span[0]}");
                if (first.Count == 2)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), s.World.Time);
                    break;
                }
            }
        });
        Assert.True(s.RunUntil(() => first.Count == 2, TimeSpan.FromSeconds(5)), s.Describe());

        Task second = Read(s, stream, []);
        s.RunFor(TimeSpan.FromMilliseconds(10));
        var error = Assert.IsType<InvalidOperationException>(Scenario.Failure(second));
        Assert.Contains("\"a/#\" is already being read", error.Message, StringComparison.Ordinal);

        s.RunFor(TimeSpan.FromSeconds(2));
        Assert.True(firstReader.IsCompletedSuccessfully);
        List<string> again = [];
        Read(s, stream, again);
        Assert.True(s.RunUntil(() => again.Count == 2, TimeSpan.FromSeconds(5)), s.Describe());
        Assert.Equal(["a/x:2", "a/x:3"], again);
        s.AssertConformant();
    }

    [Fact]
    public void Disposing_one_of_two_streams_with_the_same_filter_keeps_the_subscription_for_the_other()
    {
        var s = new Scenario(206);
        s.Connect();
        MqttSubscription first = Subscribe(s, "a/#");
        MqttSubscription second = Subscribe(s, "a/#");
        s.Await(s.World.Start(async () => await first.DisposeAsync()));
        Assert.Equal(0, Sent<UnsubscribePacket>(s));

        List<string> fromSecond = [];
        Read(s, second, fromSecond);
        Publish(s, "a/x", 1);
        Assert.True(s.RunUntil(() => fromSecond.Count == 1, TimeSpan.FromSeconds(5)), s.Describe());

        s.Await(s.World.Start(async () => await second.DisposeAsync()));
        Assert.Equal(1, Sent<UnsubscribePacket>(s));
        Assert.Empty(s.World.Broker.SubscriptionsOf(Scenario.ClientId));
        s.AssertConformant();
    }

    [Fact]
    public void Disposing_while_the_link_is_down_returns_at_once_and_the_UNSUBSCRIBE_goes_on_the_next_link()
    {
        var s = new Scenario(207, o => o.CleanSession = false);
        s.Connect();
        MqttSubscription stream = Subscribe(s, "a/#");
        List<string> fromStream = [];
        Task reading = Read(s, stream, fromStream);
        s.World.Broker.Stop(keepSessions: true);
        Assert.True(s.RunUntil(() => !s.Client.IsConnected, TimeSpan.FromSeconds(5)));

        Task disposing = s.World.Start(async () => await stream.DisposeAsync());
        Assert.True(s.RunUntil(() => disposing.IsCompleted, TimeSpan.FromMilliseconds(100)), s.Describe());
        Assert.True(disposing.IsCompletedSuccessfully);
        s.RunFor(TimeSpan.FromMilliseconds(10));
        Assert.True(reading.IsCompletedSuccessfully);

        s.World.Broker.Start();
        Assert.True(s.RunUntil(() => s.Client.IsConnected && Sent<UnsubscribePacket>(s) == 1, TimeSpan.FromSeconds(30)), s.Describe());
        s.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.Empty(s.World.Broker.SubscriptionsOf(Scenario.ClientId)); // the kept session's subscription is gone too
        s.AssertConformant();
    }

    [Fact]
    public void UnsubscribeAsync_waits_for_the_UNSUBACK_across_an_outage_and_honours_its_token()
    {
        var s = new Scenario(208);
        s.Connect();
        MqttSubscription stream = Subscribe(s, "a/#");
        s.World.Broker.Stop(keepSessions: true);
        Assert.True(s.RunUntil(() => !s.Client.IsConnected, TimeSpan.FromSeconds(5)));

        using var cancel = new CancellationTokenSource();
        Task unsubscribing = s.World.Start(() => stream.UnsubscribeAsync(cancel.Token));
        s.RunFor(TimeSpan.FromSeconds(3));
        Assert.False(unsubscribing.IsCompleted);
        cancel.Cancel();
        s.RunFor(TimeSpan.FromMilliseconds(10));
        Assert.True(unsubscribing.IsCanceled);
        Assert.True(stream.UnsubscribeAsync().IsCanceled); // again: the first call's task
        s.Await(s.World.Start(async () => await stream.DisposeAsync())); // disposing after a cancelled unsubscribe does not throw
        s.AssertConformant();
    }

    [Fact]
    public void A_stream_is_restored_after_a_reconnect_that_lost_the_session()
    {
        var s = new Scenario(209);
        s.Connect();
        MqttSubscription stream = Subscribe(s, "a/+");
        List<string> fromStream = [];
        Read(s, stream, fromStream);
        s.World.Broker.Restart(keepSessions: false);
        Assert.True(s.RunUntil(() => s.World.Broker.SubscriptionsOf(Scenario.ClientId).ContainsKey("a/+"), TimeSpan.FromSeconds(30)), s.Describe());
        Publish(s, "a/x", 5);
        Assert.True(s.RunUntil(() => fromStream.Count == 1, TimeSpan.FromSeconds(5)), s.Describe());
        Assert.Equal(["a/x:5"], fromStream);
        s.AssertConformant();
    }

    [Fact]
    public void A_refused_stream_throws_and_never_takes_messages()
    {
        var s = new Scenario(210);
        s.World.Broker.Faults.RejectSubscriptionsTo("secret/#");
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("#")));
        Task<MqttSubscription> refused = s.Start(c => c.SubscribeStreamAsync("secret/#"));
        s.RunUntil(() => refused.IsCompleted, TimeSpan.FromSeconds(5));
        Assert.Equal("secret/#", Assert.IsType<MqttSubscribeException>(Scenario.Failure(refused)).TopicFilter);

        List<string> fromReader = [];
        Read(s, s.Client.ReadMessagesAsync(), fromReader);
        Publish(s, "secret/x", 1);
        Assert.True(s.RunUntil(() => fromReader.Count == 1, TimeSpan.FromSeconds(5)), s.Describe());
        s.AssertConformant();
    }

    [Fact]
    public void Disposing_the_client_ends_every_stream_after_what_it_had_queued()
    {
        var s = new Scenario(211);
        s.Connect();
        MqttSubscription stream = Subscribe(s, "a/#");
        Publish(s, "a/x", 1);
        s.RunFor(TimeSpan.FromMilliseconds(100));
        s.Await(s.World.Start(async () => await s.Client.DisposeAsync()));

        List<string> fromStream = [];
        s.Await(Read(s, stream, fromStream));
        Assert.Equal(["a/x:1"], fromStream);
        s.Await(s.World.Start(async () => await stream.DisposeAsync())); // the client is gone: disposing just ends it
        Assert.Equal(0, stream.DroppedMessages);
        s.AssertConformant();
    }

    [Theory]
    [InlineData("a/#/b")]
    [InlineData("a+")]
    [InlineData("$share/+/a")]
    [InlineData("$share/g")]
    [InlineData("")]
    public void An_invalid_filter_throws_before_anything_is_sent(string filter)
    {
        var s = new Scenario(212);
        // Thrown by the call itself, not by its task: the mistake is the caller's, and nothing reaches the loop.
        Assert.ThrowsAny<ArgumentException>(() => { _ = s.Client.SubscribeStreamAsync(filter); });
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = s.Client.SubscribeStreamAsync("a", (MqttQualityOfService)3); });
    }
}
