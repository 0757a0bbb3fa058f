using StateMachineMqtt.Engine;
using StateMachineMqtt.Engine.Store;
using StateMachineMqtt.PropertyTests.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Store;

/// <summary>
/// The engine's records, stored as a log and read back, seed a new engine that re-sends what the protocol requires after
/// a process crash: a sent QoS 1 or 2 PUBLISH again with DUP and its packet identifier, PUBREL for a QoS 2 message that
/// had its PUBREC, an unsent message as a first send, nothing that completed; inbound QoS 2 exchanges and subscriptions kept.
/// </summary>
public sealed class EngineRestoreTests
{
    private static EngineHarness NewHarness() => new(o =>
    {
        o.CleanSession = false;
        o.RecordSession = true;
    });

    /// <summary>The framed log of every record the engine emitted so far, as a store would have appended it.</summary>
    private static void AppendRecords(SessionEngine engine, MemoryStream log)
    {
        while (engine.PollRecord(out SessionRecord record))
        {
            byte[] framed = SessionLogReader.Frame(record);
            log.Write(framed, 0, framed.Length);
        }
    }

    private static SessionSnapshot Recover(MemoryStream log, out SessionLogRecovery recovery)
    {
        var snapshot = new SessionSnapshot();
        recovery = SessionLogReader.Read(log.GetBuffer(), (int)log.Length, snapshot);
        return snapshot;
    }

    private sealed class Crashed
    {
        public required MemoryStream Log { get; init; }
        public required OutboundMessage Unacked { get; init; }
        public required OutboundMessage Released { get; init; }
        public required OutboundMessage NoPubRec { get; init; }
        public required OutboundMessage Acked { get; init; }
        public required OutboundMessage Unsent { get; init; }
    }

    /// <summary>A session with one of each kind of held state, its log kept as it stood when the process died.</summary>
    private static Crashed RunUntilCrash()
    {
        var h = NewHarness();
        var log = new MemoryStream();
        h.Connect();
        SubscriptionRequest subscribe = h.Subscribe("a/#", qos: 2);
        h.Do((e, now) => e.HandleSubAck(e.Link, subscribe.PacketId, [2], now));
        SubscriptionRequest gone = h.Subscribe("b/#", qos: 1);
        h.Do((e, now) => e.HandleSubAck(e.Link, gone.PacketId, [1], now));
        SubscriptionRequest unsubscribe = h.Unsubscribe("b/#");
        h.Do((e, now) => e.HandleUnsubAck(e.Link, unsubscribe.PacketId, now));

        OutboundMessage unacked = h.Publish("t/1", 1, [1]);
        OutboundMessage released = h.Publish("t/2", 2, [2]);
        h.Do((e, now) => e.HandlePubRec(e.Link, released.PacketId, now));
        OutboundMessage noPubRec = h.Publish("t/3", 2, [3]);
        OutboundMessage acked = h.Publish("t/4", 1, [4]);
        h.Do((e, now) => e.HandlePubAck(e.Link, acked.PacketId, now));

        // An inbound QoS 2 message the application took (PUBREC sent), whose PUBREL never came.
        h.Receive("in/q2", 2, packetId: 7, payload: [9]);
        Assert.NotNull(h.Take());
        // And one that was released: its exchange is over.
        h.Receive("in/q2", 2, packetId: 8, payload: [8]);
        Assert.NotNull(h.Take());
        h.Do((e, now) => e.HandlePubRel(e.Link, 8, now));

        h.LinkError();
        OutboundMessage unsent = h.Publish("t/5", 1, [5]);
        AppendRecords(h.Engine, log);
        return new Crashed { Log = log, Unacked = unacked, Released = released, NoPubRec = noPubRec, Acked = acked, Unsent = unsent };
    }

    [Fact]
    public void A_restarted_engine_resends_with_DUP_releases_after_PUBREC_and_skips_what_completed()
    {
        Crashed crashed = RunUntilCrash();
        SessionSnapshot snapshot = Recover(crashed.Log, out SessionLogRecovery recovery);
        Assert.Equal(0, recovery.DroppedBytes);
        Assert.Equal([1L, 2L, 3L, 5L], snapshot.Messages.Select(m => m.Sequence));

        var h = NewHarness();
        h.Engine.Restore(snapshot, null);
        Assert.Equal(4, h.Engine.HeldCount);
        h.Drain();
        Assert.Empty(h.Actions);
        int mark = h.Mark();
        h.Connect(sessionPresent: true);

        List<EngineAction> sent = h.SentSince(mark).Where(a => a.Packet is PacketKind.Publish or PacketKind.PubRel).ToList();
        Assert.Equal(
            [
                (PacketKind.Publish, crashed.Unacked.PacketId, true, "t/1"),
                (PacketKind.PubRel, crashed.Released.PacketId, false, ""),
                (PacketKind.Publish, crashed.NoPubRec.PacketId, true, "t/3"),
                (PacketKind.Publish, -1, false, "t/5"),
            ],
            sent.Select(a => (a.Packet, a.Packet == PacketKind.Publish && a.Message!.Topic == "t/5" ? -1 : a.Packet == PacketKind.PubRel ? a.PacketId : a.Message!.PacketId, a.Dup,
                a.Packet == PacketKind.Publish ? a.Message!.Topic : "")));
        Assert.DoesNotContain(sent, a => a.Message?.Topic == "t/4");
        OutboundMessage fresh = sent[3].Message!;
        Assert.NotEqual(0, fresh.PacketId);
        Assert.DoesNotContain(fresh.PacketId, new[] { crashed.Unacked.PacketId, crashed.Released.PacketId, crashed.NoPubRec.PacketId });

        // Subscriptions as they were (b/# was removed); the inbound exchange 7 still awaits PUBREL, 8 is over.
        Assert.Equal(["a/#"], h.Engine.SnapshotSubscriptions().Select(s => s.Filter));
        Assert.True(h.Engine.HoldsReceipt(7));
        Assert.False(h.Engine.HoldsReceipt(8));
    }

    [Fact]
    public void A_redelivered_inbound_QoS_2_message_is_not_delivered_again_after_a_restart()
    {
        SessionSnapshot snapshot = Recover(RunUntilCrash().Log, out _);
        var h = NewHarness();
        h.Engine.Restore(snapshot, null);
        h.Connect(sessionPresent: true);
        int mark = h.Mark();
        h.Receive("in/q2", 2, packetId: 7, dup: true, payload: [9]);

        Assert.Null(h.Take());
        Assert.Contains(h.SentSince(mark), a => a.Packet == PacketKind.PubRec && a.PacketId == 7);
        h.Do((e, now) => e.HandlePubRel(e.Link, 7, now));
        Assert.False(h.Engine.HoldsReceipt(7));
    }

    [Fact]
    public void A_new_session_after_a_restart_restores_the_stored_subscriptions()
    {
        SessionSnapshot snapshot = Recover(RunUntilCrash().Log, out _);
        var h = NewHarness();
        h.Engine.Restore(snapshot, null);
        int mark = h.Mark();
        h.Connect(sessionPresent: false);

        Assert.Contains(PacketKind.Subscribe, h.SentKindsSince(mark));
    }

    [Fact]
    public void Completions_reach_the_log_so_a_second_restart_replays_only_what_is_still_held()
    {
        Crashed crashed = RunUntilCrash();
        SessionSnapshot snapshot = Recover(crashed.Log, out _);
        var h = NewHarness();
        h.Engine.Restore(snapshot, null);
        h.Connect(sessionPresent: true);
        OutboundMessage[] held = h.Engine.SnapshotHeld();
        OutboundMessage unsent = held.Single(m => m.Topic == "t/5");
        OutboundMessage released = held.Single(m => m.Topic == "t/2");
        h.Do((e, now) => e.HandlePubAck(e.Link, unsent.PacketId, now));
        h.Do((e, now) => e.HandlePubComp(e.Link, released.PacketId, now));

        // The second life's records go after the first's in the same log, as a store appends them.
        AppendRecords(h.Engine, crashed.Log);
        SessionSnapshot again = Recover(crashed.Log, out _);
        Assert.Equal(["t/1", "t/3"], again.Messages.Select(m => m.Topic));
        Assert.True(again.Messages.All(m => m.Sent));

        // Compaction's live records mean the same as the whole log.
        var compacted = new MemoryStream();
        foreach (SessionRecord record in again.LiveRecords())
        {
            byte[] framed = SessionLogReader.Frame(record);
            compacted.Write(framed, 0, framed.Length);
        }

        SessionSnapshot fromCompacted = Recover(compacted, out _);
        Assert.Equal(again.Messages.Select(m => (m.Sequence, m.Topic, m.PacketId, m.Sent, m.PubRecReceived)),
            fromCompacted.Messages.Select(m => (m.Sequence, m.Topic, m.PacketId, m.Sent, m.PubRecReceived)));
        Assert.Equal(again.Subscriptions.Select(s => s.Topic), fromCompacted.Subscriptions.Select(s => s.Topic));
        Assert.Equal(again.Receipts.Select(r => r.PacketId), fromCompacted.Receipts.Select(r => r.PacketId));
        Assert.True(compacted.Length < crashed.Log.Length);
    }

    [Fact]
    public void Without_RecordSession_the_engine_emits_no_records()
    {
        var h = new EngineHarness(o => o.CleanSession = false);
        h.Connect();
        h.Publish("t", 1);
        Assert.False(h.Engine.PollRecord(out _));
    }
}
