using StateMachineMqtt.Protocol;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>The outbound queue's bound and the user's overflow policy, and the receive policy, through the real client.</summary>
public class FlowControlScenarios
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);

    [Fact]
    public void Reject_fails_a_publish_past_the_bound_with_a_message_that_names_it()
    {
        var s = new Scenario(80, o =>
        {
            o.MaxQueuedMessages = 2;
            o.OutboundOverflow = OutboundOverflowPolicy.Reject;
        });
        Task connect = ConnectWhileTheBrokerIsDown(s);
        var first = s.Start(c => c.PublishAsync("t", "1", MqttQualityOfService.AtLeastOnce));
        var second = s.Start(c => c.PublishAsync("t", "2", MqttQualityOfService.AtLeastOnce));
        var third = s.Start(c => c.PublishAsync("t", "3", MqttQualityOfService.AtLeastOnce));
        s.RunFor(TimeSpan.FromMilliseconds(10));

        var error = Assert.IsType<InvalidOperationException>(Scenario.Failure(third));
        Assert.Contains("MaxQueuedMessages = 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("Reject", error.Message, StringComparison.Ordinal);
        s.World.Broker.Start();
        s.Await(connect);
        Assert.True(s.RunUntil(() => first.IsCompletedSuccessfully && second.IsCompletedSuccessfully, Soon), s.Describe());
        Assert.Equal(["1", "2"], s.World.Broker.AcceptedOn("t").Select(m => System.Text.Encoding.UTF8.GetString(m.Payload.Span)));
    }

    [Fact]
    public void Wait_holds_a_publish_past_the_bound_until_there_is_room_keeping_the_order_and_honouring_its_token()
    {
        var s = new Scenario(81, o => o.MaxQueuedMessages = 2);
        Task connect = ConnectWhileTheBrokerIsDown(s);
        using var cancel = new CancellationTokenSource();
        var publishes = new List<Task>
        {
            s.Start(c => c.PublishAsync("t", "1", MqttQualityOfService.AtLeastOnce)),
            s.Start(c => c.PublishAsync("t", "2", MqttQualityOfService.AtLeastOnce)),
            s.Start(c => c.PublishAsync("t", "3", MqttQualityOfService.AtLeastOnce)),
            s.Start(c => c.PublishAsync("t", "cancelled", MqttQualityOfService.AtLeastOnce, cancellationToken: cancel.Token)),
            s.Start(c => c.PublishAsync("t", "5", MqttQualityOfService.AtLeastOnce)),
        };
        s.RunFor(TimeSpan.FromMilliseconds(10));
        Assert.All(publishes, p => Assert.False(p.IsCompleted));
        cancel.Cancel();
        s.RunFor(TimeSpan.FromMilliseconds(10));
        Assert.True(publishes[3].IsCanceled);

        s.World.Broker.Start();
        s.Await(connect);
        Assert.True(s.RunUntil(() => publishes.Where((_, i) => i != 3).All(p => p.IsCompletedSuccessfully), Soon), s.Describe());
        Assert.Equal(["1", "2", "3", "5"], s.World.Broker.AcceptedOn("t").Select(m => System.Text.Encoding.UTF8.GetString(m.Payload.Span)));
        s.AssertConformant();
    }

    [Fact]
    public void DropOldestQoS0_makes_room_by_failing_the_oldest_queued_QoS0_message_and_never_drops_QoS1()
    {
        var s = new Scenario(82, o =>
        {
            o.MaxQueuedMessages = 2;
            o.OutboundOverflow = OutboundOverflowPolicy.DropOldestQoS0;
        });
        Task connect = ConnectWhileTheBrokerIsDown(s);
        var qos0 = s.Start(c => c.PublishAsync("t", "old", MqttQualityOfService.AtMostOnce));
        var qos1 = s.Start(c => c.PublishAsync("t", "kept", MqttQualityOfService.AtLeastOnce));
        var newest = s.Start(c => c.PublishAsync("t", "new", MqttQualityOfService.AtLeastOnce));
        s.RunFor(TimeSpan.FromMilliseconds(10));

        Assert.Contains("DropOldestQoS0", Assert.IsType<InvalidOperationException>(Scenario.Failure(qos0)).Message, StringComparison.Ordinal);
        s.World.Broker.Start();
        s.Await(connect);
        Assert.True(s.RunUntil(() => qos1.IsCompletedSuccessfully && newest.IsCompletedSuccessfully, Soon), s.Describe());
        Assert.Equal(["kept", "new"], s.World.Broker.AcceptedOn("t").Select(m => System.Text.Encoding.UTF8.GetString(m.Payload.Span)));
    }

    [Fact]
    public void A_custom_reconnect_policy_sets_the_delays()
    {
        var policy = new FixedDelay(TimeSpan.FromSeconds(7));
        var s = new Scenario(83, o => o.ReconnectPolicy = policy);
        s.Connect();
        s.World.Network.LastLink!.Reset();
        s.RunFor(TimeSpan.FromSeconds(6.9));
        Assert.False(s.Client.IsConnected);
        Assert.True(s.RunUntil(() => s.Client.IsConnected, TimeSpan.FromSeconds(1)), s.Describe());
        Assert.Equal([1], policy.Attempts);
    }

    [Fact]
    public void A_received_QoS0_message_past_the_queue_is_dropped_and_counted_under_DropOldestQoS0()
    {
        var s = new Scenario(84, o =>
        {
            o.ReceiveQueueLength = 1;
            o.ReceiveOverflow = ReceiveOverflowPolicy.DropOldestQoS0;
        });
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("in/#", MqttQualityOfService.AtMostOnce)));
        for (int i = 0; i < 5; i++)
        {
            s.World.Broker.Publish("in/a", BitConverter.GetBytes(i), MqttQualityOfService.AtMostOnce);
        }

        s.RunFor(TimeSpan.FromSeconds(1));
        Assert.True(s.Client.Statistics.DroppedQos0 > 0, $"dropped {s.Client.Statistics.DroppedQos0}");
        Assert.Equal(5, s.Client.Statistics.Received);
    }

    /// <summary>Calls ConnectAsync while the broker is down, so the publishes that follow are held (calls before ConnectAsync fail).</summary>
    private static Task ConnectWhileTheBrokerIsDown(Scenario s)
    {
        s.World.Broker.Stop();
        return s.Start(c => c.ConnectAsync());
    }

    private sealed class FixedDelay(TimeSpan delay) : IReconnectPolicy
    {
        public List<int> Attempts { get; } = [];

        public TimeSpan NextDelay(int attempt)
        {
            Attempts.Add(attempt);
            return delay;
        }
    }
}
