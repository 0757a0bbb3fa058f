using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Spec;

public sealed class PolicyRuleTests
{
    [Fact]
    public void Only_CONNECT_before_CONNACK_and_only_DISCONNECT_while_disconnecting()
    {
        foreach (PacketKind packet in Enum.GetValues<PacketKind>())
        {
            Assert.Equal(packet == PacketKind.Connect || packet == PacketKind.Auth, SendRules.MaySend(ConnectionState.AwaitingConnAck, packet));
            Assert.Equal(packet == PacketKind.Disconnect, SendRules.MaySend(ConnectionState.Disconnecting, packet));
            foreach (ConnectionState state in new[] { ConnectionState.Idle, ConnectionState.Connecting, ConnectionState.Backoff, ConnectionState.Closed, ConnectionState.Disposed })
            {
                Assert.False(SendRules.MaySend(state, packet));
            }
        }

        Assert.True(SendRules.MaySend(ConnectionState.Connected, PacketKind.Publish));
        Assert.True(SendRules.MaySend(ConnectionState.Connected, PacketKind.PubAck));
        Assert.True(SendRules.MaySend(ConnectionState.Connected, PacketKind.PingReq));
        Assert.False(SendRules.MaySend(ConnectionState.Connected, PacketKind.Connect));
        Assert.False(SendRules.MaySend(ConnectionState.Connected, PacketKind.SubAck));
    }

    [Property(MaxTest = 1000)]
    public Property Exactly_one_keepalive_guard_holds_and_the_deadline_is_when_the_judgement_changes(NonNegativeInt sentAgo, NonNegativeInt receivedAgo, NonNegativeInt pingAgo, PositiveInt keepAliveSeconds)
    {
        long keepAlive = keepAliveSeconds.Get % 600 * 1000 + 1000;
        long interval = KeepAliveRules.DefaultPingIntervalMs(keepAlive);
        const long Now = 10_000_000;
        long lastSent = Now - (sentAgo.Get % (2 * keepAlive));
        long lastReceived = Now - (receivedAgo.Get % (2 * keepAlive));
        long lastPing = Now - (pingAgo.Get % (2 * keepAlive));
        KeepAliveGuard judged = KeepAliveRules.Judge(Now, lastSent, lastReceived, lastPing, keepAlive, interval);
        long deadline = KeepAliveRules.NextDeadline(lastSent, lastReceived, lastPing, keepAlive, interval);

        // Not yet due means: nothing changes before the deadline, and at it the judgement has moved on.
        bool consistent = judged == KeepAliveGuard.WithinPingInterval
            ? deadline > Now && KeepAliveRules.Judge(deadline - 1, lastSent, lastReceived, lastPing, keepAlive, interval) == KeepAliveGuard.WithinPingInterval
                && KeepAliveRules.Judge(deadline, lastSent, lastReceived, lastPing, keepAlive, interval) != KeepAliveGuard.WithinPingInterval
            : deadline <= Now;
        bool silence = (judged == KeepAliveGuard.KeepAliveElapsed) == (Now - lastReceived >= keepAlive);
        return (consistent && silence).Label($"{judged}, deadline {deadline - Now} ms from now");
    }

    [Fact]
    public void Keepalive_pings_after_a_quiet_interval_and_declares_silence_after_a_keepalive()
    {
        Assert.Equal(KeepAliveGuard.WithinPingInterval, KeepAliveRules.Judge(1_000, 0, 0, 0, 4_000, 1_000 + 1));
        Assert.Equal(KeepAliveGuard.PingIntervalElapsed, KeepAliveRules.Judge(1_000, 0, 0, 0, 4_000, 1_000));
        Assert.Equal(KeepAliveGuard.KeepAliveElapsed, KeepAliveRules.Judge(4_000, 3_999, 0, 3_999, 4_000, 1_000));
        Assert.Equal(KeepAliveGuard.PingIntervalElapsed, KeepAliveRules.Judge(3_999, 3_999, 0, 2_000, 4_000, 1_000)); // sent lately, heard nothing since the ping
        Assert.Equal(1_000, KeepAliveRules.DefaultPingIntervalMs(4_000));
    }

    [Property(MaxTest = 1000)]
    public bool Backoff_stays_in_its_jitter_range_and_never_beyond_the_maximum(PositiveInt attempt, PositiveInt initial, NonNegativeInt random)
    {
        long initialMs = initial.Get % 10_000 + 1;
        long maximumMs = initialMs * 40;
        int r = random.Get % BackoffRules.Scale;
        long ceiling = BackoffRules.CeilingMs(attempt.Get, initialMs, maximumMs);
        long delay = BackoffRules.DelayMs(attempt.Get, initialMs, maximumMs, r);
        return delay >= ceiling / 2 && delay <= ceiling && ceiling <= maximumMs
            && ceiling == Math.Min(maximumMs, initialMs << Math.Min(attempt.Get - 1, 30));
    }

    [Fact]
    public void Backoff_doubles_from_the_initial_delay_up_to_the_maximum()
    {
        Assert.Equal(new long[] { 100, 200, 400, 800, 1000, 1000 }, Enumerable.Range(1, 6).Select(n => BackoffRules.CeilingMs(n, 100, 1000)));
        Assert.Equal(50, BackoffRules.DelayMs(1, 100, 1000, 0));
        Assert.Equal(99, BackoffRules.DelayMs(1, 100, 1000, BackoffRules.Scale - 1));
    }

    [Fact]
    public void The_window_and_the_receive_queue_have_their_bounds()
    {
        Assert.True(FlowRules.MayTransmit(19, 20));
        Assert.False(FlowRules.MayTransmit(20, 20));
        Assert.True(FlowRules.MayRead(999, 1000));
        Assert.False(FlowRules.MayRead(1000, 1000));
        Assert.True(FlowRules.DropsOldestQoS0OnReceive(ReceiveOverflowPolicy.DropOldestQoS0, hasQueuedQoS0: true));
        Assert.False(FlowRules.DropsOldestQoS0OnReceive(ReceiveOverflowPolicy.DropOldestQoS0, hasQueuedQoS0: false));
        Assert.False(FlowRules.DropsOldestQoS0OnReceive(ReceiveOverflowPolicy.PauseReading, hasQueuedQoS0: true));
    }

    [Theory]
    [InlineData(0, 0L, 10L, OutboundOverflowPolicy.Reject, false, AdmitVerdict.Accept)]
    [InlineData(0, 0L, 5_000L, OutboundOverflowPolicy.Reject, false, AdmitVerdict.Accept)] // an empty queue takes any one message
    [InlineData(9, 90L, 10L, OutboundOverflowPolicy.Reject, false, AdmitVerdict.Accept)]
    [InlineData(10, 100L, 10L, OutboundOverflowPolicy.Reject, true, AdmitVerdict.Reject)]
    [InlineData(10, 100L, 10L, OutboundOverflowPolicy.Wait, true, AdmitVerdict.Wait)]
    [InlineData(5, 95L, 10L, OutboundOverflowPolicy.Wait, false, AdmitVerdict.Wait)] // the byte bound
    [InlineData(10, 100L, 10L, OutboundOverflowPolicy.DropOldestQoS0, true, AdmitVerdict.AcceptAfterDroppingOldestQoS0)]
    [InlineData(10, 100L, 10L, OutboundOverflowPolicy.DropOldestQoS0, false, AdmitVerdict.Wait)] // QoS >= 1 is never dropped
    public void Admission_follows_the_bounds_and_the_policy(int count, long queuedBytes, long bytes, OutboundOverflowPolicy policy, bool hasQoS0, AdmitVerdict expected)
    {
        Assert.Equal(expected, FlowRules.Admit(count, queuedBytes, bytes, 10, 100, policy, hasQoS0));
    }

    [Fact]
    public void Acknowledgements_follow_the_QoS()
    {
        Assert.Equal(PacketKind.None, AcknowledgementRules.AcknowledgementFor(0));
        Assert.Equal(PacketKind.PubAck, AcknowledgementRules.AcknowledgementFor(1));
        Assert.Equal(PacketKind.PubRec, AcknowledgementRules.AcknowledgementFor(2));
    }

    [Theory]
    [InlineData(20, 0, 20)]
    [InlineData(20, 2, 2)]
    [InlineData(3, 65535, 3)]
    [InlineData(5, 5, 5)]
    public void The_window_is_MaxInflight_clamped_to_an_MQTT_5_brokers_Receive_Maximum(int maxInflight, int receiveMaximum, int window) =>
        Assert.Equal(window, FlowRules.Window(maxInflight, receiveMaximum));

    [Theory]
    [InlineData(60_000L, -1, 60_000L)]
    [InlineData(60_000L, 10, 10_000L)]
    [InlineData(60_000L, 0, 0L)]
    public void A_Server_Keep_Alive_replaces_the_clients_keepalive(long own, int server, long inForce) =>
        Assert.Equal(inForce, KeepAliveRules.KeepAliveInForceMs(own, server));

    [Theory]
    [InlineData(8_000L, 0L, 2_000L)]
    [InlineData(8_000L, 5_000L, 5_000L)]
    [InlineData(4_000L, 5_000L, 1_000L)]
    public void A_configured_ping_interval_holds_while_it_fits_the_keepalive_in_force(long keepAlive, long configured, long interval) =>
        Assert.Equal(interval, KeepAliveRules.PingIntervalInForceMs(keepAlive, configured));

    [Theory]
    [InlineData(true, -1L, 0L)]
    [InlineData(false, -1L, ConnectRules.SessionNeverExpires)]
    [InlineData(false, 300L, 300L)]
    [InlineData(true, 300L, 300L)]
    public void The_MQTT_5_session_expiry_keeps_3_1_1s_meaning_unless_set(bool cleanEveryConnect, long configured, long expiry) =>
        Assert.Equal(expiry, ConnectRules.SessionExpirySeconds(cleanEveryConnect, configured));

    [Fact]
    public void CONNACK_refusals_are_classed_per_version()
    {
        ConnAckRefusalRow[] rows = ConnAckRefusalTable.CreateRows();
        Assert.True(ConnAckRefusalTable.Find(rows, MqttProtocolVersion.V311, 0x03)!.Retryable);
        Assert.False(ConnAckRefusalTable.Find(rows, MqttProtocolVersion.V311, 0x05)!.Retryable);
        Assert.True(ConnAckRefusalTable.Find(rows, MqttProtocolVersion.V500, 0x88)!.Retryable);
        Assert.False(ConnAckRefusalTable.Find(rows, MqttProtocolVersion.V500, 0x87)!.Retryable);
        Assert.Null(ConnAckRefusalTable.Find(rows, MqttProtocolVersion.V500, 0x03)); // a 3.1.1 code means nothing in MQTT 5
        Assert.All(rows.Where(r => r.Version == MqttProtocolVersion.V500), r =>
            Assert.True((ReasonCodeTable.Find(ReasonCodeTable.CreateRows(), r.Code)?.Packets & PropertyContext.ConnAck) != 0, $"0x{r.Code:X2} is no CONNACK reason code"));
        Assert.Equal(rows.Length, rows.Select(r => (r.Version, r.Code)).Distinct().Count());
    }
}
