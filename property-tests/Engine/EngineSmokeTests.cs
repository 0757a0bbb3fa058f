using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Engine;

public sealed class EngineSmokeTests
{
    [Fact]
    public void Connect_publish_QoS1_and_PUBACK_complete_the_calls()
    {
        var h = new EngineHarness();
        object connect = h.Connect();
        Assert.Equal(ConnectionState.Connected, h.Engine.State);
        Assert.Contains(h.EventsFor(connect), e => e.Kind == EventKind.ConnectCompleted);
        Assert.Equal([PacketKind.Connect], h.SentKinds);

        var message = h.Publish("t", 1);
        EngineAction publish = h.Sent.Last();
        Assert.Equal(PacketKind.Publish, publish.Packet);
        Assert.False(publish.Dup);
        Assert.NotEqual(0, message.PacketId);

        h.Do((e, now) => e.HandlePubAck(e.Link, message.PacketId, now));
        Assert.Contains(h.EventsFor(message.Caller), e => e.Kind == EventKind.PublishCompleted);
        Assert.Equal(0, h.Engine.HeldCount);
        Assert.Equal(0, h.Engine.Statistics.SendsRefused);
    }

    [Fact]
    public void A_lost_link_re_sends_the_held_message_with_DUP_after_backoff()
    {
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        var message = h.Publish("t", 1);
        h.Do((e, now) => e.HandleLinkError(e.Link, (int)SocketErrorCode.ConnectionReset, "reset", now));
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
        h.Advance(h.Options.BackoffMaximumMs);
        Assert.Equal(ConnectionState.Connecting, h.Engine.State);
        h.Do((e, now) => e.HandleLinkOpened(h.LastOpened, now));
        h.Do((e, now) => e.HandleConnAck(e.Link, true, 0, now));
        EngineAction resend = h.Sent.Last();
        Assert.Equal(PacketKind.Publish, resend.Packet);
        Assert.True(resend.Dup, h.Describe());
        Assert.Same(message, resend.Message);
    }

    [Fact]
    public void A_quiet_link_is_pinged_and_a_silent_one_declared_dead_within_one_keepalive()
    {
        var h = new EngineHarness();
        h.Connect();
        h.Advance(h.Options.KeepAliveMs / 4);
        Assert.Equal(PacketKind.PingReq, h.SentKinds.Last());
        h.Advance(h.Options.KeepAliveMs - h.Options.KeepAliveMs / 4);
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
        Assert.Contains(h.Events, e => e.Kind == EventKind.LinkDown && e.Reason.StartsWith("keepalive expired", StringComparison.Ordinal));
    }

    [Fact]
    public void Nothing_follows_DISCONNECT()
    {
        var h = new EngineHarness();
        h.Connect();
        h.Do((e, now) => e.HandlePublish(e.Link, "in", [1], 1, false, false, 7, now));
        object disconnect = new();
        h.Do((e, now) => e.Disconnect(disconnect, now));
        Assert.Equal(PacketKind.Disconnect, h.SentKinds.Last());
        Assert.NotNull(h.Engine.TakeMessage(h.Now)); // taken after DISCONNECT: its PUBACK may not follow
        h.Drain();
        h.Advance(h.Options.KeepAliveMs); // and no PINGREQ either
        Assert.Equal(PacketKind.Disconnect, h.SentKinds.Last());
        h.CompleteWrites();
        Assert.Equal(ConnectionState.Closed, h.Engine.State);
        Assert.Contains(h.EventsFor(disconnect), e => e.Kind == EventKind.DisconnectCompleted);
    }
}
