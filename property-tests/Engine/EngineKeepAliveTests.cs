using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Engine;

/// <summary>Keepalive: pings when quiet, and a silent link declared dead within one keepalive period (I5).</summary>
public sealed class EngineKeepAliveTests
{
    [Fact]
    public void A_link_answering_its_pings_stays_up()
    {
        var h = new EngineHarness();
        h.Connect();
        int pings = 0;
        for (int i = 0; i < 40; i++)
        {
            int mark = h.Mark();
            h.Advance(h.Options.KeepAliveMs / 8);
            if (h.SentKindsSince(mark).Contains(PacketKind.PingReq))
            {
                pings++;
                h.Do((e, now) => e.HandlePingResp(e.Link, now));
            }
        }

        Assert.True(h.Engine.IsConnected, h.Describe());
        Assert.InRange(pings, 15, 25); // every keepalive / 4 over five keepalive periods
    }

    [Fact]
    public void A_silent_link_is_declared_dead_exactly_one_keepalive_after_the_last_packet()
    {
        var h = new EngineHarness();
        h.Connect();
        h.Advance(1_000);
        h.Do((e, now) => e.HandlePingResp(e.Link, now));
        long heard = h.Now;
        h.AdvanceTo(heard + h.Options.KeepAliveMs - 1);
        Assert.True(h.Engine.IsConnected);
        h.Advance(1);
        Assert.Equal(ConnectionState.Backoff, h.Engine.State);
        Assert.Equal(KeepAliveState.Inactive, h.Engine.KeepAliveState);
    }

    [Fact]
    public void Bytes_of_a_packet_still_coming_prove_the_link_alive_and_answer_an_outstanding_ping()
    {
        // A large message on a slow link: whole packets arrive only now and then, but its bytes keep coming (I5).
        var h = new EngineHarness();
        h.Connect();
        long start = h.Now;
        while (h.Now < start + 3 * h.Options.KeepAliveMs)
        {
            h.Advance(h.Options.KeepAliveMs / 3);
            h.Do((e, now) => e.HandleBytesReceived(e.Link, now));
            Assert.Equal(KeepAliveState.Idle, h.Engine.KeepAliveState); // a ping sent meanwhile is answered by the bytes
        }

        Assert.True(h.Engine.IsConnected, h.Describe());

        // Bytes on a link no longer current prove nothing.
        h.Do((e, now) => e.HandleBytesReceived(e.Link + 1, now));
        h.Advance(h.Options.KeepAliveMs);
        Assert.False(h.Engine.IsConnected);
    }

    [Fact]
    public void Sending_does_not_prove_the_link_alive()
    {
        var h = new EngineHarness();
        h.Connect();
        long start = h.Now;
        while (h.Engine.IsConnected && h.Now < start + 3 * h.Options.KeepAliveMs)
        {
            h.Publish("t", 0);
            h.CompleteWrites();
            h.Advance(250);
        }

        Assert.False(h.Engine.IsConnected);
        Assert.InRange(h.Now - start, h.Options.KeepAliveMs, h.Options.KeepAliveMs + 250);
    }

    [Fact]
    public void A_ping_goes_when_nothing_was_received_for_a_ping_interval_even_while_sending()
    {
        var h = new EngineHarness();
        h.Connect();
        int mark = h.Mark();
        for (int i = 0; i < 10; i++)
        {
            h.Publish("t", 0);
            h.CompleteWrites();
            h.Advance(250);
        }

        Assert.Contains(PacketKind.PingReq, h.SentKindsSince(mark));
    }

    [Fact]
    public void A_configured_ping_interval_is_honoured()
    {
        var h = new EngineHarness(o => { o.KeepAliveMs = 8_000; o.PingIntervalMs = 1_000; });
        h.Connect();
        h.Advance(999);
        Assert.DoesNotContain(PacketKind.PingReq, h.SentKinds);
        h.Advance(1);
        Assert.Equal(PacketKind.PingReq, h.SentKinds.Last());
    }

    [Fact]
    public void Keepalive_zero_never_pings_nor_declares_the_link_dead()
    {
        var h = new EngineHarness(o => o.KeepAliveMs = 0);
        h.Connect();
        h.Advance(1_000_000);
        Assert.True(h.Engine.IsConnected);
        Assert.DoesNotContain(PacketKind.PingReq, h.SentKinds);
        Assert.Equal(SessionEngine.Never, h.Engine.PollTimeout());
    }

    [Fact]
    public void Silence_while_reading_is_paused_does_not_count_against_the_link()
    {
        var h = new EngineHarness(o => o.ReceiveQueueLength = 1);
        h.Connect();
        h.Receive("in", 0);
        Assert.False(h.Engine.WantsToRead);
        long paused = h.Now;

        // Paused for three keepalive periods: the application is behind, not the link.
        h.Advance(3 * h.Options.KeepAliveMs);
        Assert.True(h.Engine.IsConnected, h.Describe());

        h.Take();
        Assert.True(h.Engine.WantsToRead);
        long resumed = h.Now;
        h.AdvanceTo(resumed + h.Options.KeepAliveMs - 1);
        Assert.True(h.Engine.IsConnected, h.Describe());
        h.Advance(1);
        Assert.False(h.Engine.IsConnected, $"paused at {paused}, resumed at {resumed}, now {h.Now}");
    }

    [Fact]
    public void A_pause_that_spans_a_reconnect_does_not_stretch_the_new_links_silence_allowance()
    {
        // The pause began on the old link; the new link was heard from at its CONNACK. Once reading resumes, the new link
        // must be declared dead within one keepalive period of silence (I5), not that plus the outage.
        var h = new EngineHarness(o => { o.ReceiveQueueLength = 1; o.CleanSession = false; });
        h.Connect();
        h.Receive("in", 0);
        Assert.False(h.Engine.WantsToRead);
        h.Advance(1_000);
        h.LinkError();
        h.Advance(10_000); // past the backoff: Connecting, and the open is left to time out a few times
        while (h.Engine.State != ConnectionState.Connecting)
        {
            h.Advance(100);
        }

        h.Open();
        h.ConnAck(sessionPresent: true);
        Assert.True(h.Engine.IsConnected);
        h.Advance(1_000);
        h.Take();
        long resumed = h.Now;
        h.AdvanceTo(resumed + h.Options.KeepAliveMs);
        Assert.False(h.Engine.IsConnected, $"resumed at {resumed}; still connected at {h.Now}: {h.Describe()}");
    }

    [Fact]
    public void A_packet_decoded_while_paused_does_not_push_the_silence_limit_into_the_future()
    {
        var h = new EngineHarness(o => o.ReceiveQueueLength = 1);
        h.Connect();
        h.Receive("in", 0);
        h.Advance(2_000);
        h.Receive("in", 0); // the driver had already decoded it when reading paused
        h.Advance(2_000);
        h.Take();
        h.Take();
        long resumed = h.Now;
        h.AdvanceTo(resumed + h.Options.KeepAliveMs);
        Assert.False(h.Engine.IsConnected, $"resumed at {resumed}; still connected at {h.Now}");
    }

    [Fact]
    public void No_PINGREQ_before_CONNACK_nor_in_backoff()
    {
        var h = new EngineHarness(o => o.ResponseTimeMs = 20_000);
        h.Do((e, now) => e.Connect(new object(), now));
        h.Open();
        h.Advance(19_000);
        Assert.Equal([PacketKind.Connect], h.SentKinds);
        h.LinkError();
        int mark = h.Mark();
        h.Advance(200);
        Assert.Empty(h.SentSince(mark));
    }
}
