using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>
/// Conformance (c): the device client against the in-memory socket and broker on virtual time — opening through
/// EINPROGRESS, QoS 1 with a lost PUBACK, QoS 2 with lost PUBRECs, PUBCOMPs and resets, resets and resubscription,
/// keepalive on a silent link, Wi-Fi events.
/// </summary>
public sealed class NanoClientScenarioTests
{
    [Fact]
    public void Connect_waits_out_EINPROGRESS_and_sends_CONNECT_before_anything_else()
    {
        using var h = new NanoClientHarness();
        h.Socket.ScriptConnect(pendingPolls: 3);
        h.Client.Connect();
        Assert.Equal(ConnectionState.Connecting, h.Client.State);
        Assert.True(h.Client.Publish("t/held", [1], 1, false), "a QoS 1 message is held while connecting");

        h.Client.Poll();
        h.Client.Poll();
        Assert.Equal(ConnectionState.Connecting, h.Client.State); // EINPROGRESS: SocketPending keeps the state
        h.RunUntil(() => h.Client.IsConnected);

        Assert.IsType<ConnectPacket>(h.Broker.Received[0].Packet); // [MQTT-3.1.0-1], I3
        h.RunUntil(() => h.Client.HeldCount == 0);
        var publish = Assert.Single(h.Broker.All<PublishPacket>());
        Assert.False(publish.Dup);
        Assert.Equal([(true, h.Events.Changes[0].At)], h.Events.Changes);
    }

    [Fact]
    public void A_lost_PUBACK_is_answered_by_a_DUP_resend_with_the_same_packet_identifier()
    {
        using var h = new NanoClientHarness();
        h.ConnectAndWait();
        h.Broker.PubAcksToDrop = 1;
        Assert.True(h.Client.Publish("sensor/t", "21.5"u8.ToArray(), 1, false));

        long took = h.RunUntil(() => h.Client.HeldCount == 0);

        var sends = h.Broker.All<PublishPacket>().ToArray();
        Assert.Equal(2, sends.Length);
        Assert.False(sends[0].Dup); // I4: never on the first send
        Assert.True(sends[1].Dup);  // I4: always on a re-send [MQTT-3.3.1-1]
        Assert.Equal(sends[0].PacketId, sends[1].PacketId); // [MQTT-2.3.1-3]
        Assert.NotEqual(0, sends[0].PacketId);
        Assert.InRange(took, h.Options.ResponseTimeMilliseconds, h.Options.ResponseTimeMilliseconds + 2 * NanoClientHarness.PollStep);
        Assert.True(h.Client.IsConnected);
    }

    [Fact]
    public void PUBACKs_that_never_come_declare_the_link_dead_and_the_message_goes_again_on_the_next_link()
    {
        using var h = new NanoClientHarness();
        h.ConnectAndWait();
        h.Broker.PubAcksToDrop = 1 + h.Options.MaxRepublishes; // the first send and every re-send on this link
        h.Client.Publish("a", [7], 1, false);

        h.RunUntil(() => h.Broker.Connection == 2 && h.Client.HeldCount == 0);

        var sends = h.Broker.Received.Where(r => r.Packet is PublishPacket).ToArray();
        Assert.Equal(1 + h.Options.MaxRepublishes, sends.Count(s => s.Connection == 1));
        var last = (PublishPacket)sends[^1].Packet;
        Assert.Equal(2, sends[^1].Connection);
        Assert.True(last.Dup); // [MQTT-4.4.0-1] re-sent on reconnect with DUP
        Assert.Equal(((PublishPacket)sends[0].Packet).PacketId, last.PacketId);
        Assert.Contains("re-sends", h.Client.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_QoS_2_publish_is_PUBLISH_then_PUBREL_and_completes_on_PUBCOMP()
    {
        using var h = new NanoClientHarness();
        h.ConnectAndWait();
        Assert.True(h.Client.Publish("sensor/t", "21.5"u8.ToArray(), 2, true));

        h.RunUntil(() => h.Client.HeldCount == 0);

        var flow = h.Broker.Received.Select(r => r.Packet).Where(p => p is PublishPacket or PubRelPacket).ToArray();
        var publish = Assert.IsType<PublishPacket>(flow[0]);
        Assert.Equal((MqttQualityOfService.ExactlyOnce, false, true), (publish.QualityOfService, publish.Dup, publish.Retain));
        Assert.NotEqual(0, publish.PacketId);
        Assert.Equal(publish.PacketId, Assert.IsType<PubRelPacket>(flow[1]).PacketId); // [MQTT-4.3.3-1]
        Assert.Equal(2, flow.Length);
        Assert.Single(h.Broker.Delivered);
        Assert.Empty(h.Broker.Qos2Receipts);
        Assert.Equal(1, h.Client.Statistics.Acknowledged);
    }

    [Fact]
    public void A_lost_PUBREC_re_sends_the_PUBLISH_with_DUP_and_a_lost_PUBCOMP_only_the_PUBREL()
    {
        using var h = new NanoClientHarness();
        h.ConnectAndWait();
        h.Broker.PubRecsToDrop = 1;
        h.Broker.PubCompsToDrop = 1;
        h.Client.Publish("a", [7], 2, false);

        long took = h.RunUntil(() => h.Client.HeldCount == 0);

        var flow = h.Broker.Received.Select(r => r.Packet).Where(p => p is PublishPacket or PubRelPacket).ToArray();
        Assert.Equal(["PUBLISH", "PUBLISH dup", "PUBREL", "PUBREL"], flow.Select(p => p is PublishPacket q ? (q.Dup ? "PUBLISH dup" : "PUBLISH") : "PUBREL"));
        Assert.All(flow, p => Assert.Equal(((PublishPacket)flow[0]).PacketId, ((IHasPacketId)p).PacketId));
        Assert.Single(h.Broker.Delivered); // the DUP re-send was the same message to the broker (exactly once)
        Assert.InRange(took, 2 * h.Options.ResponseTimeMilliseconds, 2 * h.Options.ResponseTimeMilliseconds + 4 * NanoClientHarness.PollStep);
        Assert.True(h.Client.IsConnected);
    }

    [Fact]
    public void A_reset_before_PUBREC_re_sends_the_PUBLISH_and_one_after_it_only_the_PUBREL()
    {
        using var h = new NanoClientHarness(cleanSession: false);
        h.ConnectAndWait();
        h.Broker.SessionPresent = true; // the reconnects resume the session, whose QoS 2 receipts the broker kept
        h.Broker.PubRecsToDrop = 1;
        h.Client.Publish("before", [1], 2, false);
        h.RunFor(500);
        h.Socket.Reset();
        h.RunUntil(() => h.Broker.Connection == 2 && h.Client.HeldCount == 0);

        h.Broker.PubCompsToDrop = 1;
        h.Client.Publish("after", [2], 2, false);
        h.RunFor(500);
        h.Socket.Reset();
        h.RunUntil(() => h.Broker.Connection == 3 && h.Client.HeldCount == 0);

        // [MQTT-4.4.0-1]: on the next link the PUBLISH again with DUP while no PUBREC came; once one came, PUBREL and never
        // the PUBLISH [MQTT-4.3.3-1].
        string Flow(int connection) => string.Join(" ", h.Broker.Received.Where(r => r.Connection == connection).Select(r => r.Packet)
            .Where(p => p is PublishPacket or PubRelPacket).Select(p => p is PublishPacket q ? q.Topic + (q.Dup ? ":dup" : "") : "PUBREL"));
        Assert.Equal("before", Flow(1));
        Assert.Equal("before:dup PUBREL after PUBREL", Flow(2));
        Assert.Equal("PUBREL", Flow(3));
        Assert.Equal(["before", "after"], h.Broker.Delivered.Select(p => p.Topic));
    }

    [Fact]
    public void PUBCOMPs_that_never_come_declare_the_link_dead_and_the_PUBREL_goes_again_on_the_next_link()
    {
        using var h = new NanoClientHarness();
        h.ConnectAndWait();
        h.Broker.PubCompsToDrop = 1 + h.Options.MaxRepublishes; // the first PUBREL and every re-send on this link
        h.Client.Publish("a", [7], 2, false);

        h.RunUntil(() => h.Broker.Connection == 2 && h.Client.HeldCount == 0);

        var rels = h.Broker.Received.Where(r => r.Packet is PubRelPacket).Select(r => r.Connection).ToArray();
        Assert.Equal([.. Enumerable.Repeat(1, 1 + h.Options.MaxRepublishes), 2], rels);
        Assert.Single(h.Broker.All<PublishPacket>()); // never the PUBLISH again once PUBREC came
        Assert.Contains("no PUBCOMP", h.Client.LastError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public void Publishing_at_a_QoS_other_than_0_1_or_2_is_refused_with_what_to_use(int qos)
    {
        using var h = new NanoClientHarness();
        var refused = Assert.Throws<ArgumentException>(() => h.Client.Publish("a", [1], qos, false));
        Assert.Contains("0 (at most once), 1 (at least once) or 2 (exactly once)", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Client.HeldCount);
    }

    [Fact]
    public void After_a_reset_the_client_backs_off_reconnects_and_resubscribes_when_the_session_is_new()
    {
        using var h = new NanoClientHarness();
        h.ConnectAndWait();
        h.Client.Subscribe("cmd/#", 1);
        h.RunUntil(() => h.Client.IsSubscribed("cmd/#"));

        h.Socket.Reset();
        h.RunUntil(() => h.Client.State == ConnectionState.Backoff);
        Assert.Equal((false, h.Clock.NowMilliseconds - NanoClientHarness.PollStep), h.Events.Changes[^1]);
        Assert.False(h.Client.IsSubscribed("cmd/#"));

        long down = h.RunUntil(() => h.Client.IsConnected && h.Client.IsSubscribed("cmd/#"));
        // The engine's backoff is jittered: the first retry waits in [initial / 2, initial] (spec BackoffRules).
        Assert.InRange(down, h.Options.BackoffInitialMilliseconds / 2, h.Options.BackoffInitialMilliseconds + 10 * NanoClientHarness.PollStep);
        var subscribes = h.Broker.Received.Where(r => r.Packet is SubscribePacket).Select(r => r.Connection).ToArray();
        Assert.Equal([1, 2], subscribes); // I8: restored on the new session
        Assert.Contains("cmd/#", h.Broker.Subscriptions);
    }

    [Fact]
    public void When_the_broker_kept_the_session_acknowledged_subscriptions_are_not_sent_again()
    {
        using var h = new NanoClientHarness(cleanSession: false);
        h.ConnectAndWait();
        h.Client.Subscribe("cmd/#", 1);
        h.RunUntil(() => h.Client.IsSubscribed("cmd/#"));

        h.Broker.SessionPresent = true;
        h.Socket.Reset();
        h.RunUntil(() => h.Broker.Connection == 2 && h.Client.IsConnected);
        h.RunFor(1000);

        Assert.Single(h.Broker.All<SubscribePacket>());
        Assert.True(h.Client.IsSubscribed("cmd/#"));
    }

    [Fact]
    public void A_silent_link_is_pinged_and_declared_dead_within_one_keepalive_period()
    {
        using var h = new NanoClientHarness(keepAliveSeconds: 20);
        h.ConnectAndWait();
        h.RunFor(30_000); // healthy: pings every 5 s are answered, the link stays up
        Assert.True(h.Client.IsConnected);
        int pingsWhileHealthy = h.Broker.All<PingReqPacket>().Count();
        Assert.InRange(pingsWhileHealthy, 5, 7);

        h.Broker.Silent = true; // half-open: nothing arrives either way, and no socket error says so
        long silentFrom = h.Clock.NowMilliseconds;
        h.RunUntil(() => !h.Client.IsConnected);

        long detectedAfter = h.Events.Changes[^1].At - silentFrom;
        Assert.InRange(detectedAfter, 15_000, 20_000 + NanoClientHarness.PollStep); // I5: within one keepalive period
        Assert.Contains("keepalive expired", h.Client.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public void ETIMEDOUT_while_opening_backs_off_and_EWOULDBLOCK_on_send_keeps_the_link()
    {
        using var h = new NanoClientHarness();
        h.Socket.ScriptConnect(2, SocketErrorCode.TimedOut);
        h.Client.Connect();
        h.RunUntil(() => h.Client.State == ConnectionState.Backoff);
        Assert.Equal(1, h.Socket.Connects);

        h.RunUntil(() => h.Client.IsConnected);
        Assert.Equal(2, h.Socket.Connects);

        h.Socket.SendsToBlock = 3;
        h.Client.Publish("a", [1], 1, false);
        h.RunFor(500);
        Assert.True(h.Client.IsConnected); // WouldBlock is SocketPending: keep the state, send later
        Assert.Equal(0, h.Client.HeldCount);
    }

    [Fact]
    public void Wifi_down_loses_the_link_and_no_reconnect_is_tried_until_it_is_back()
    {
        using var h = new NanoClientHarness();
        h.ConnectAndWait();
        h.Client.WifiChanged(false);
        Assert.Equal(ConnectionState.Backoff, h.Client.State);
        h.RunFor(60_000);
        Assert.Equal(1, h.Socket.Connects);

        h.Client.WifiChanged(true);
        h.RunUntil(() => h.Client.IsConnected, limitMilliseconds: 2 * NanoClientHarness.PollStep);
        Assert.Equal(2, h.Socket.Connects);
    }

    [Fact]
    public void An_unknown_host_on_first_connect_fails_with_a_reason_but_later_is_only_an_outage()
    {
        using var h = new NanoClientHarness();
        h.Socket.ScriptConnect(0, SocketErrorCode.HostNotFound);
        h.Client.Connect();
        Assert.Equal(ConnectionState.Closed, h.Client.State);
        Assert.Contains("broker.test:1883", Assert.Single(h.Events.Failures), StringComparison.Ordinal);

        h.ConnectAndWait();
        h.Socket.Reset();
        h.Socket.ScriptConnect(0, SocketErrorCode.HostNotFound); // DNS down with the Wi-Fi
        h.RunUntil(() => h.Socket.Connects == 3);
        Assert.Equal(ConnectionState.Backoff, h.Client.State);
        h.RunUntil(() => h.Client.IsConnected);
        Assert.Single(h.Events.Failures);
    }

    [Fact]
    public void Refused_credentials_fail_connect_with_what_to_fix()
    {
        using var h = new NanoClientHarness();
        h.Broker.ConnAckCode = ConnectReturnCode.BadUserNameOrPassword;
        h.Client.Connect();
        h.RunUntil(() => h.Client.State == ConnectionState.Closed);
        Assert.Contains("user name or password", Assert.Single(h.Events.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void A_QoS_1_message_from_the_broker_is_delivered_and_acknowledged()
    {
        using var h = new NanoClientHarness();
        h.ConnectAndWait();
        h.Broker.Send(new PublishPacket("cmd/led", "on"u8.ToArray(), MqttQualityOfService.AtLeastOnce, false, false, 42));
        h.RunFor(200);

        Assert.Equal([("cmd/led", "on", 1, false)], h.Events.Messages);
        Assert.Equal(42, Assert.Single(h.Broker.All<PubAckPacket>()).PacketId);
    }

    [Fact]
    public void A_QoS_2_message_from_the_broker_is_delivered_once_and_its_PUBREL_answered()
    {
        // The device decodes PUBREC/PUBREL/PUBCOMP now; what they mean is the engine's (spec/'s inbound dispatch) to decide.
        using var h = new NanoClientHarness();
        h.ConnectAndWait();
        h.Broker.Send(new PublishPacket("cmd/led", "on"u8.ToArray(), MqttQualityOfService.ExactlyOnce, false, false, 7));
        h.RunFor(200);
        Assert.Equal(7, Assert.Single(h.Broker.All<PubRecPacket>()).PacketId);

        // Its PUBREC lost: the broker re-sends with DUP; acknowledged again, not delivered again (I9).
        h.Broker.Send(new PublishPacket("cmd/led", "on"u8.ToArray(), MqttQualityOfService.ExactlyOnce, false, true, 7));
        h.RunFor(200);
        Assert.Equal(2, h.Broker.All<PubRecPacket>().Count());
        h.Broker.Send(new PubRelPacket(7));
        h.RunFor(200);

        Assert.Equal([("cmd/led", "on", 2, false)], h.Events.Messages);
        Assert.Equal(7, Assert.Single(h.Broker.All<PubCompPacket>()).PacketId);
        Assert.True(h.Client.IsConnected);
    }

    [Fact]
    public void A_QoS_0_message_published_while_disconnected_is_held_and_sent_once_connected()
    {
        // The engine holds QoS 0 until it is written (it used to be refused while disconnected).
        using var h = new NanoClientHarness();
        Assert.True(h.Client.Publish("t/0", [1], 0, false));
        Assert.Equal(1, h.Client.HeldCount);
        h.ConnectAndWait();
        h.RunUntil(() => h.Client.HeldCount == 0);
        var publish = Assert.Single(h.Broker.All<PublishPacket>());
        Assert.Equal(MqttQualityOfService.AtMostOnce, publish.QualityOfService);
        Assert.Equal(1, h.Client.Statistics.Written);
    }

    [Fact]
    public void Packets_that_do_not_fit_the_send_buffer_wait_their_turn_in_order()
    {
        using var h = new NanoClientHarness();
        h.Options.SendBufferSize = 64; // each PUBLISH below takes 36 bytes: one at a time
        var client = new StateMachineMqtt.Nano.Client.NanoMqttClient(h.Options, h.Socket, h.Clock, h.Events);
        client.Connect();
        h.Socket.SendsToBlock = 4;
        for (int i = 0; i < 6; i++)
        {
            Assert.True(client.Publish("t/" + i, new byte[28], 1, false));
        }

        for (int t = 0; t < 200 && (client.HeldCount > 0 || !client.IsConnected); t++)
        {
            client.Poll();
            h.Clock.Advance(NanoClientHarness.PollStep);
        }

        Assert.Equal(0, client.HeldCount);
        var sends = h.Broker.All<PublishPacket>().ToArray();
        Assert.Equal(["t/0", "t/1", "t/2", "t/3", "t/4", "t/5"], sends.Select(p => p.Topic));
        Assert.All(sends, p => Assert.False(p.Dup));
    }

    [Fact]
    public void Disconnect_sends_DISCONNECT_then_closes()
    {
        using var h = new NanoClientHarness();
        h.ConnectAndWait();
        h.Client.Disconnect();
        h.RunUntil(() => h.Client.State == ConnectionState.Closed);
        Assert.IsType<DisconnectPacket>(h.Broker.Received[^1].Packet);
        Assert.False(h.Socket.IsOpen);
        Assert.False(h.Events.Changes[^1].Up);
    }
}
