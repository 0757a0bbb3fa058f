using StateMachineMqtt.Engine;
using StateMachineMqtt.PropertyTests.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Observability;

/// <summary>
/// What the driver's re-send logs and metrics read from the engine: the Resend flag on a PUBLISH or PUBREL sent again, and
/// the ReleasesResent count. The engine decides what a re-send is; the driver only reports it.
/// </summary>
public class EngineResendTests
{
    private static List<EngineAction> FlowOf(EngineHarness h, OutboundMessage m) =>
        [.. h.Sent.Where(a => ReferenceEquals(a.Message, m) || (a.Packet == PacketKind.PubRel && a.PacketId == m.PacketId))];

    [Fact]
    public void A_PUBREL_sent_again_after_the_response_time_or_a_reconnect_is_flagged_and_counted_and_the_first_is_not()
    {
        var h = new EngineHarness(o => { o.MaxRepublishes = 2; o.KeepAliveMs = 0; o.CleanSession = false; });
        h.Connect();
        OutboundMessage m = h.Publish("t", 2);
        h.Do((e, now) => e.HandlePubRec(e.Link, m.PacketId, now));
        h.Advance(h.Options.ResponseTimeMs);
        h.LoseAndReconnect(sessionPresent: true);

        List<EngineAction> flow = FlowOf(h, m);
        Assert.Equal(
            [(PacketKind.Publish, false), (PacketKind.PubRel, false), (PacketKind.PubRel, true), (PacketKind.PubRel, true)],
            flow.Select(a => (a.Packet, a.Resend)));
        Assert.Equal((0, 2), (h.Engine.Statistics.Resent, h.Engine.Statistics.ReleasesResent));
    }

    [Fact]
    public void A_PUBLISH_sent_again_is_flagged_as_a_re_send_exactly_when_it_carries_DUP()
    {
        var h = new EngineHarness(o => { o.MaxRepublishes = 3; o.KeepAliveMs = 0; o.CleanSession = false; });
        h.Connect();
        OutboundMessage m = h.Publish("t", 1);
        h.Advance(h.Options.ResponseTimeMs);
        h.LoseAndReconnect(sessionPresent: true);

        List<EngineAction> flow = FlowOf(h, m);
        Assert.Equal([false, true, true], flow.Select(a => a.Resend));
        Assert.All(flow, a => Assert.Equal(a.Dup, a.Resend));
        Assert.Equal((2, 0), (h.Engine.Statistics.Resent, h.Engine.Statistics.ReleasesResent));
    }
}
