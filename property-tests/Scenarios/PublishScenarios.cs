using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.PropertyTests.Simulation.Broker;
using StateMachineMqtt.PropertyTests.Simulation.Network;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>Outbound QoS 1: completes on PUBACK, re-sent with DUP after the response time and on reconnect, never lost (I1, I4). QoS 2: Qos2PublishScenarios.</summary>
public class PublishScenarios
{
    private static readonly byte[] Payload = [42];

    private static Task Publish(Scenario s, string topic = "t", MqttQualityOfService qos = MqttQualityOfService.AtLeastOnce, CancellationToken ct = default) =>
        s.Start(c => c.PublishAsync(topic, Payload, qos, cancellationToken: ct));

    private static List<PacketRecord> Publishes(Scenario s) => [.. s.World.Broker.ReceivedFrom(Scenario.ClientId).Where(r => r.Packet is PublishPacket)];

    [Fact]
    public void QoS_1_completes_on_PUBACK_and_is_sent_once_without_DUP()
    {
        var s = new Scenario(20);
        s.Connect();
        s.Await(Publish(s));

        var accepted = Assert.Single(s.World.Broker.AcceptedOn("t"));
        Assert.False(accepted.Dup);
        Assert.NotEqual(0, accepted.PacketId);
        Assert.Equal(1, s.Client.Statistics.Acknowledged);
        s.AssertConformant();
    }

    [Fact]
    public void A_publish_while_disconnected_waits_for_the_link()
    {
        var s = new Scenario(21);
        s.World.Network.ConnectFault = ConnectFault.NetworkDown;
        _ = s.Start(c => c.ConnectAsync());
        Task publish = Publish(s);
        Task qos0 = Publish(s, "q0", MqttQualityOfService.AtMostOnce);
        s.RunFor(TimeSpan.FromSeconds(30));
        Assert.False(publish.IsCompleted);
        Assert.False(qos0.IsCompleted);

        s.World.Network.ConnectFault = ConnectFault.None;
        s.Await(publish, TimeSpan.FromSeconds(10));
        s.Await(qos0, TimeSpan.FromSeconds(1));
        Assert.Single(s.World.Broker.AcceptedOn("t"));
        Assert.Single(s.World.Broker.AcceptedOn("q0"));
        s.AssertConformant();
    }

    [Fact]
    public void Cancelling_before_the_first_send_withdraws_the_message()
    {
        var s = new Scenario(22);
        s.World.Network.ConnectFault = ConnectFault.NetworkDown;
        _ = s.Start(c => c.ConnectAsync());
        using var cts = new CancellationTokenSource();
        Task publish = Publish(s, ct: cts.Token);
        s.RunFor(TimeSpan.FromSeconds(3));
        cts.Cancel();
        s.RunFor(TimeSpan.FromSeconds(1));
        Assert.True(publish.IsCanceled);

        s.World.Network.ConnectFault = ConnectFault.None;
        Assert.True(s.RunUntil(() => s.Client.IsConnected, TimeSpan.FromSeconds(20)));
        s.RunFor(TimeSpan.FromSeconds(10));
        Assert.Empty(s.World.Broker.AcceptedOn("t"));
        Assert.Contains(s.Transitions, t => t is { Machine: "Publish", From: "Queued", Trigger: "Cancel", To: "Withdrawn" });
        s.AssertConformant();
    }

    [Fact]
    public void Cancelling_after_the_first_send_ends_only_the_wait_the_message_is_still_delivered()
    {
        var s = new Scenario(23);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubAck, 1);
        using var cts = new CancellationTokenSource();
        Task publish = Publish(s, ct: cts.Token);
        s.RunFor(TimeSpan.FromSeconds(1));
        cts.Cancel();
        s.RunFor(TimeSpan.FromMilliseconds(10));
        Assert.True(publish.IsCanceled);

        Assert.True(s.RunUntil(() => s.Client.Statistics.Acknowledged == 1, TimeSpan.FromSeconds(10)), s.Describe());
        Assert.Equal(2, s.World.Broker.AcceptedOn("t").Count);
        s.AssertConformant();
    }

    [Fact]
    public void A_lost_PUBACK_is_followed_by_a_DUP_resend_after_the_response_time()
    {
        var s = new Scenario(24);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubAck, 1);
        TimeSpan sentAt = s.Now;
        s.Await(Publish(s));

        var sends = Publishes(s);
        Assert.Equal(2, sends.Count);
        Assert.False(sends[0].Dup);
        Assert.True(sends[1].Dup);
        Assert.Equal(sends[0].PacketId, sends[1].PacketId);
        Assert.Equal(s.Options.ResponseTime, sends[1].At - sends[0].At);
        Assert.Equal(1, s.World.Network.LinksOpened);
        s.AssertConformant();
    }

    [Fact]
    public void After_the_maximum_re_publishes_the_link_is_declared_dead_and_the_message_goes_on_the_next_link()
    {
        var s = new Scenario(25, o => o.MaxRepublishes = 2);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubAck, 3);
        s.Await(Publish(s), TimeSpan.FromSeconds(30));

        Assert.True(s.Took("Connection", "RepublishLimitReached"), s.Describe());
        Assert.Equal(2, s.World.Network.LinksOpened);
        var sends = Publishes(s);
        Assert.Equal(4, sends.Count);
        Assert.Equal([false, true, true, true], sends.Select(p => p.Dup));
        s.AssertConformant();
    }

    [Fact]
    public void A_reset_with_messages_in_flight_re_sends_them_with_DUP_on_reconnect_in_order()
    {
        var s = new Scenario(26, o => o.CleanSession = false);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubAck, 5);
        var publishes = Enumerable.Range(0, 5).Select(i => s.Start(c => c.PublishAsync("t", new[] { (byte)i }, MqttQualityOfService.AtLeastOnce))).ToArray();
        s.RunFor(TimeSpan.FromMilliseconds(100));
        s.World.Network.LastLink!.Reset();
        s.Await(Task.WhenAll(publishes), TimeSpan.FromSeconds(30));

        var second = s.World.Broker.AcceptedOn("t").Skip(5).ToList();
        Assert.Equal([0, 1, 2, 3, 4], second.Select(m => (int)m.Payload.Span[0]));
        Assert.All(second, m => Assert.True(m.Dup));
        s.AssertConformant();
    }

    [Fact]
    public void Held_messages_survive_DisconnectAsync_and_go_out_on_the_next_ConnectAsync()
    {
        var s = new Scenario(27, o => o.CleanSession = false);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubAck, 1);
        Task publish = Publish(s);
        s.RunFor(TimeSpan.FromMilliseconds(100));
        s.Await(s.Start(c => c.DisconnectAsync()));
        Assert.False(publish.IsCompleted);
        s.RunFor(TimeSpan.FromSeconds(60));
        Assert.Equal(1, s.World.Network.LinksOpened);

        s.Connect();
        s.Await(publish, TimeSpan.FromSeconds(5));
        Assert.True(s.World.Broker.AcceptedOn("t")[^1].Dup);
        s.AssertConformant();
    }

    [Fact]
    public void Disposing_fails_pending_publishes_with_ObjectDisposedException()
    {
        var s = new Scenario(28);
        s.World.Network.ConnectFault = ConnectFault.NetworkDown;
        _ = s.Start(c => c.ConnectAsync());
        Task publish = Publish(s);
        s.RunFor(TimeSpan.FromSeconds(2));
        s.Await(s.Start(c => c.DisposeAsync().AsTask()));
        Assert.IsType<ObjectDisposedException>(Scenario.Failure(publish));
        Assert.IsType<ObjectDisposedException>(Scenario.Failure(s.Client.PublishAsync("t", Payload)));
    }

    [Fact]
    public void The_in_flight_window_is_bounded_and_order_is_kept()
    {
        var s = new Scenario(29, o => o.MaxInflight = 3);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubAck, 3);
        var publishes = Enumerable.Range(0, 10).Select(i => s.Start(c => c.PublishAsync("t", new[] { (byte)i }, MqttQualityOfService.AtLeastOnce))).ToArray();
        s.RunFor(TimeSpan.FromMilliseconds(500));
        Assert.Equal(3, Publishes(s).Count);
        s.Await(Task.WhenAll(publishes), TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(0, 10), s.World.Broker.AcceptedOn("t").Select(m => (int)m.Payload.Span[0]).Distinct());
        s.AssertConformant();
    }

    [Fact]
    public void Publishing_above_QoS_2_or_to_a_wildcard_topic_is_refused_with_what_to_do()
    {
        var s = new Scenario(30);
        // Refused synchronously, before anything is queued: the call throws rather than returning a faulted task.
        Assert.Contains("2 (ExactlyOnce)", Assert.Throws<ArgumentOutOfRangeException>(() => { _ = s.Client.PublishAsync("t", Payload, (MqttQualityOfService)3); }).Message, StringComparison.Ordinal);
        Assert.Contains("wildcard", Assert.Throws<ArgumentException>(() => { _ = s.Client.PublishAsync("t/+", Payload); }).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_QoS0_publish_completes_only_once_written_and_fails_if_its_link_dies_first()
    {
        // Issue 14: QoS 0 completed when queued, not when written as its documentation says.
        var s = new Scenario(70);
        s.Connect();
        s.World.Network.LastLink!.StallClientWrites();
        Task publish = s.Start(c => c.PublishAsync("t", new byte[] { 1 }, MqttQualityOfService.AtMostOnce));
        s.RunFor(TimeSpan.FromSeconds(1));
        Assert.False(publish.IsCompleted, "a QoS 0 publish completed before it was written");

        s.World.Network.LastLink!.Reset();
        s.RunUntil(() => publish.IsCompleted, TimeSpan.FromSeconds(5));
        // Handed to a link that died unwritten: the caller is told, and at most once forbids sending it again.
        Assert.IsType<MqttConnectionLostException>(Scenario.Failure(publish));
        Assert.True(s.RunUntil(() => s.Client.IsConnected, TimeSpan.FromSeconds(30)));
        s.RunFor(TimeSpan.FromSeconds(1));
        Assert.Empty(s.World.Broker.AcceptedOn("t"));
        s.AssertConformant();
    }

    [Fact]
    public void A_QoS0_publish_completes_once_written()
    {
        var s = new Scenario(71);
        s.Connect();
        Task publish = s.Start(c => c.PublishAsync("t", new byte[] { 1 }, MqttQualityOfService.AtMostOnce));
        s.Await(publish, TimeSpan.FromSeconds(1));
        Assert.Single(s.World.Broker.AcceptedOn("t"));
    }

    [Fact]
    public void More_calls_than_the_inbox_holds_wait_for_room_and_all_complete_in_order()
    {
        // The loop's inbox is bounded (MqttClient.CallsWaitingBound): callers past it wait, nothing grows without bound.
        var s = new Scenario(72);
        s.Connect();
        int calls = MqttClient.CallsWaitingBound + 100;
        var publishes = new List<Task>();
        s.Await(s.Start(c =>
        {
            for (int i = 0; i < calls; i++)
            {
                publishes.Add(c.PublishAsync("t", BitConverter.GetBytes(i), MqttQualityOfService.AtLeastOnce));
            }

            Assert.Equal(0, c.InboxRoom); // the bound was reached: the last 100 callers are waiting for room
            return Task.CompletedTask;
        }));
        Assert.True(s.RunUntil(() => publishes.TrueForAll(p => p.IsCompletedSuccessfully), TimeSpan.FromSeconds(60)), s.Describe());
        Assert.Equal(Enumerable.Range(0, calls), s.World.Broker.AcceptedOn("t").Select(m => BitConverter.ToInt32(m.Payload.Span)));
        s.AssertConformant();
    }
}
