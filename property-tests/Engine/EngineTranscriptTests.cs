using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Engine;

/// <summary>
/// Scripted scenarios whose whole transcript (see <see cref="EngineTranscript"/>) must equal the reviewed one in
/// Engine/Transcripts. They pin what the other engine tests assert only in part: every reason text, return code,
/// counter and deadline along each path. After an intended change, regenerate with
/// <c>UPDATE_TRANSCRIPTS=1 dotnet test property-tests --filter FullyQualifiedName~EngineTranscriptTests</c> and review
/// the diff like code.
/// </summary>
public sealed class EngineTranscriptTests
{
    private static readonly Dictionary<string, (Action<EngineOptions>? Configure, Action<EngineTranscript> Script)> Scenarios = new()
    {
        ["connack-answers"] = (null, ConnAckAnswers),
        ["attempts-and-outages"] = (null, AttemptsAndOutages),
        ["link-reports"] = (null, LinkReports),
        ["disconnect"] = (null, Disconnect),
        ["dispose"] = (null, Dispose),
        ["dispose-connected"] = (null, DisposeConnected),
        ["first-connect-attempts"] = (o => o.FirstConnectAttempts = 2, FirstConnectAttempts),
        ["first-connect-time"] = (o => o.FirstConnectTimeoutMs = 3_000, FirstConnectTime),
        ["first-connect-one-attempt"] = (o => o.FirstConnectAttempts = 1, FirstConnectOneAttempt),
        ["publish"] = (o => { o.CleanSession = false; o.MaxRepublishes = 1; o.MaxInflight = 2; }, Publish),
        ["qos2"] = (o => { o.CleanSession = false; o.MaxRepublishes = 1; o.MaxInflight = 2; }, Qos2),
        ["outbound-queue"] = (o => { o.MaxQueuedMessages = 2; o.MaxQueuedBytes = 100; o.OutboundOverflow = OutboundOverflowPolicy.DropOldestQoS0; }, OutboundQueue),
        ["outbound-reject"] = (o => { o.MaxQueuedMessages = 1; o.OutboundOverflow = OutboundOverflowPolicy.Reject; }, OutboundReject),
        ["requests"] = (o => o.CleanSession = false, Requests),
        ["superseded"] = (o => o.CleanSession = false, Superseded),
        ["receive"] = (o => { o.CleanSession = false; o.ReceiveQueueLength = 2; }, Receive),
        ["receive-drop"] = (o => { o.ReceiveQueueLength = 1; o.ReceiveOverflow = ReceiveOverflowPolicy.DropOldestQoS0; }, ReceiveDrop),
        ["keepalive"] = (null, KeepAlive),
        ["custom-backoff"] = (o => o.Backoff = new StepBackoff(), CustomBackoff),
        ["request-deadlines"] = (o => { o.KeepAliveMs = 60_000; o.CleanSession = false; }, RequestDeadlines),
        ["outbound-bytes"] = (o => o.MaxQueuedBytes = 100, OutboundBytes),
        ["drain"] = (o => o.CleanSession = false, Drain),
        ["session-in-doubt"] = (o => { o.CleanSession = false; o.KeepAliveMs = 60_000; }, SessionInDoubt),
        ["oversized-publish"] = (o => { o.CleanSession = false; o.ReceiveQueueLength = 3; o.KeepAliveMs = 60_000; o.MaxOutboundPacketSize = 100; }, OversizedPublish),
        ["oversized-publish-drop"] = (o => { o.ReceiveQueueLength = 2; o.ReceiveOverflow = ReceiveOverflowPolicy.DropOldestQoS0; }, OversizedPublishDrop),
    };

    public static TheoryData<string> Names() => new(Scenarios.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void The_engine_does_and_says_what_the_reviewed_transcript_says(string name)
    {
        (Action<EngineOptions>? configure, Action<EngineTranscript> script) = Scenarios[name];
        var t = new EngineTranscript(new EngineHarness(configure), name);
        script(t);
        string actual = t.ToString();

        string path = Path.Combine(SpecReadmeTestsRoot(), "property-tests", "Engine", "Transcripts", name + ".txt");
        if (Environment.GetEnvironmentVariable("UPDATE_TRANSCRIPTS") == "1")
        {
            File.WriteAllText(path, actual);
        }

        Assert.True(File.Exists(path), $"No reviewed transcript {path}: run with UPDATE_TRANSCRIPTS=1, review it, and commit it.");
        string expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected != actual)
        {
            string[] e = expected.Split('\n');
            string[] a = actual.Split('\n');
            int line = 0;
            while (line < e.Length && line < a.Length && e[line] == a[line])
            {
                line++;
            }

            Assert.Fail($"Transcript {name} differs from {path} at line {line + 1}:\n  reviewed: {(line < e.Length ? e[line] : "(end)")}\n  now:      {(line < a.Length ? a[line] : "(end)")}\n" +
                "If the change is intended, regenerate with UPDATE_TRANSCRIPTS=1, review the diff and commit it.\n\nWhole transcript now:\n" + actual);
        }
    }

    private static string SpecReadmeTestsRoot() => StateMachineMqtt.PropertyTests.Docs.SpecReadmeTests.RepositoryRoot();

    private static void Connect(EngineTranscript t, object caller, bool sessionPresent = false)
    {
        t.Step("connect", () => t.Harness.Do((e, now) => e.Connect(caller, now)));
        t.Step("link opens", () => t.Harness.Open());
        t.Step(sessionPresent ? "CONNACK 0, session present" : "CONNACK 0", () => t.Harness.ConnAck(sessionPresent));
    }

    private static void ConnAckAnswers(EngineTranscript t)
    {
        EngineHarness h = t.Harness;
        object first = t.Caller("first");
        t.Step("connect", () => h.Do((e, now) => e.Connect(first, now)));
        t.Step("link opens", () => h.Open());
        t.Step("CONNACK 5 (not authorised): fatal", () => h.ConnAck(returnCode: 5));

        object second = t.Caller("second");
        t.Step("connect again", () => h.Do((e, now) => e.Connect(second, now)));
        t.Step("link opens", () => h.Open());
        t.Step("CONNACK 3 (server unavailable): retried", () => h.ConnAck(returnCode: 3));
        t.Step("backoff elapses", () => h.Advance(h.Engine.PollTimeout() - h.Now));
        t.Step("link opens", () => h.Open());
        t.Step("CONNACK 0 with session present, though a clean session was asked", () => h.ConnAck(sessionPresent: true));
        t.Step("backoff elapses", () => h.Advance(h.Engine.PollTimeout() - h.Now));
        t.Step("link opens", () => h.Open());
        t.Step("no CONNACK within the response time", () => h.Advance(h.Options.ResponseTimeMs));
        t.Step("backoff elapses", () => h.Advance(h.Engine.PollTimeout() - h.Now));
        t.Step("link opens", () => h.Open());
        t.Step("CONNACK 0", () => h.ConnAck());
        object late = t.Caller("late");
        t.Step("connect while connected completes at once", () => h.Do((e, now) => e.Connect(late, now)));
        t.Step("a second CONNACK on the live link", () => h.ConnAck());
    }

    private static void AttemptsAndOutages(EngineTranscript t)
    {
        EngineHarness h = t.Harness;
        object caller = t.Caller("app");
        t.Step("connect", () => h.Do((e, now) => e.Connect(caller, now)));
        t.Step("refused", () => h.LinkError(SocketErrorCode.ConnectionRefused));
        t.Step("half the backoff", () => h.Advance(100));
        t.Step("the network comes back: the backoff ends now", () => h.Do((e, now) => e.HandleNetworkAvailable(now)));
        t.Step("its deadline fires", () => h.Advance(0));
        t.Step("the network comes back while connecting: nothing to cut", () => h.Do((e, now) => e.HandleNetworkAvailable(now)));
        t.Step("timed out", () => h.LinkError(SocketErrorCode.TimedOut));
        t.Step("backoff elapses", () => h.Advance(h.Engine.PollTimeout() - h.Now));
        t.Step("link opens", () => h.Open());
        t.Step("CONNACK 0", () => h.ConnAck());
        t.Step("a short-lived link is reset", () => h.LinkError(SocketErrorCode.ConnectionReset));
        t.Step("backoff elapses", () => h.Advance(h.Engine.PollTimeout() - h.Now));
        t.Step("link opens", () => h.Open());
        t.Step("CONNACK 0", () => h.ConnAck());
        t.Step("stable for 40 s (keepalive answered)", () =>
        {
            for (int i = 0; i < 8; i++)
            {
                h.Advance(5_000);
                h.Do((e, now) => e.HandlePingResp(e.Link, now));
            }
        });
        t.Step("the broker closes the link", () => h.Do((e, now) => e.HandleLinkClosed(e.Link, "end of stream", now)));
        t.Step("backoff elapses", () => h.Advance(h.Engine.PollTimeout() - h.Now));
        t.Step("link opens", () => h.Open());
        t.Step("CONNACK 0", () => h.ConnAck());
    }

    private static void LinkReports(EngineTranscript t)
    {
        EngineHarness h = t.Harness;
        object caller = t.Caller("app");
        t.Step("connect", () => h.Do((e, now) => e.Connect(caller, now)));
        t.Step("EINPROGRESS: the attempt restarts", () => h.Do((e, now) => e.HandleLinkPending(e.Link, now)));
        t.Step("the abandoned link reports open late: closed again", () => h.Do((e, now) => e.HandleLinkOpened(e.Link - 1, now)));
        t.Step("an error on the abandoned link: ignored", () => h.Do((e, now) => e.HandleLinkError(e.Link - 1, (int)SocketErrorCode.ConnectionReset, "reset", now)));
        t.Step("link opens", () => h.Open());
        t.Step("the same link reported open again: nothing", () => h.Open());
        t.Step("malformed input before CONNACK", () => h.Do((e, now) => e.HandleMalformed(e.Link, "bad remaining length", now)));
        t.Step("backoff elapses", () => h.Advance(h.Engine.PollTimeout() - h.Now));
        t.Step("the certificate is not trusted while opening: a configuration error", () => h.Do((e, now) => e.HandleUnusableAddress(e.Link, "certificate not trusted", now)));
        t.Step("connect again", () => h.Do((e, now) => e.Connect(caller, now)));
        t.Step("unknown host: a configuration error", () => h.LinkError(SocketErrorCode.HostNotFound));
        t.Step("connect again", () => h.Do((e, now) => e.Connect(caller, now)));
        t.Step("link opens", () => h.Open());
        t.Step("CONNACK 0", () => h.ConnAck());
        t.Step("an unusable address on an open link: lost", () => h.Do((e, now) => e.HandleUnusableAddress(e.Link, "certificate revoked", now)));
        t.Step("backoff elapses", () => h.Advance(h.Engine.PollTimeout() - h.Now));
        t.Step("link opens", () => h.Open());
        t.Step("CONNACK 0", () => h.ConnAck());
        t.Step("EACCES on an open link: lost, not a configuration error", () => h.LinkError(SocketErrorCode.AccessDenied));
        t.Step("backoff elapses", () => h.Advance(h.Engine.PollTimeout() - h.Now));
        t.Step("link opens", () => h.Open());
        t.Step("CONNACK 0", () => h.ConnAck());
        t.Step("the broker sends CONNECT (client-only)", () => h.Do((e, now) => e.HandleClientOnlyPacket(e.Link, PacketKind.Connect, now)));
        t.Step("backoff elapses", () => h.Advance(h.Engine.PollTimeout() - h.Now));
        t.Step("link opens", () => h.Open());
        t.Step("a PUBLISH before CONNACK", () => h.Receive("a", 0));
        t.Step("backoff elapses", () => h.Advance(h.Engine.PollTimeout() - h.Now));
        t.Step("link opens", () => h.Open());
        t.Step("CONNACK 0", () => h.ConnAck());
        t.Step("malformed input after CONNACK", () => h.Do((e, now) => e.HandleMalformed(e.Link, "topic is not UTF-8", now)));
        t.Step("malformed input on the closed link: ignored", () => h.Do((e, now) => e.HandleMalformed(e.Link - 1, "late", now)));
        t.Step("a packet on the closed link: ignored", () => h.Do((e, now) => e.HandlePingResp(e.Link - 1, now)));
        t.Step("backoff elapses", () => h.Advance(h.Engine.PollTimeout() - h.Now));
        t.Step("link opens", () => h.Open());
        t.Step("CONNACK 0", () => h.ConnAck());
        t.Step("a PUBREC and a PUBCOMP answer nothing of ours", () =>
        {
            h.Do((e, now) => e.HandlePubRec(e.Link, 7, now));
            h.Do((e, now) => e.HandlePubComp(e.Link, 8, now));
        });
        t.Step("a PUBACK, SUBACK and UNSUBACK nothing awaits", () =>
        {
            h.Do((e, now) => e.HandlePubAck(e.Link, 9, now));
            h.Do((e, now) => e.HandleSubAck(e.Link, 10, [1], now));
            h.Do((e, now) => e.HandleUnsubAck(e.Link, 11, now));
        });
    }

    private static void Disconnect(EngineTranscript t)
    {
        EngineHarness h = t.Harness;
        Connect(t, t.Caller("app"));
        object bye = t.Caller("bye");
        t.Step("disconnect", () => h.Do((e, now) => e.Disconnect(bye, now)));
        object eager = t.Caller("eager");
        t.Step("connect while disconnecting: refused", () => h.Do((e, now) => e.Connect(eager, now)));
        t.Step("a PUBACK after DISCONNECT went: ignored", () => h.Do((e, now) => e.HandlePubAck(e.Link, 1, now)));
        t.Step("a PUBLISH, PUBREC and PUBREL after DISCONNECT went: ignored, nothing can be sent", () =>
        {
            h.Receive("late", 1, 3);
            h.Do((e, now) => e.HandlePubRec(e.Link, 4, now));
            h.Do((e, now) => e.HandlePubRel(e.Link, 5, now));
        });
        t.Step("DISCONNECT written", () => h.CompleteWrites());
        object again = t.Caller("again");
        Connect(t, again);
        object bye3 = t.Caller("bye3");
        t.Step("disconnect, and a CONNACK comes: the protocol violation closes the link, the disconnect completes", () =>
        {
            h.Do((e, now) => e.Disconnect(bye3, now));
            h.ConnAck();
        });
        Connect(t, t.Caller("again2"));
        object bye2 = t.Caller("bye2");
        t.Step("disconnect, and DISCONNECT is never written", () => h.Do((e, now) => e.Disconnect(bye2, now)));
        t.Step("the response time passes", () => h.Advance(h.Options.ResponseTimeMs));
        object retry = t.Caller("retry");
        t.Step("connect", () => h.Do((e, now) => e.Connect(retry, now)));
        t.Step("refused", () => h.LinkError(SocketErrorCode.ConnectionRefused));
        object stop = t.Caller("stop");
        t.Step("disconnect during backoff: the connect is abandoned", () => h.Do((e, now) => e.Disconnect(stop, now)));
        t.Step("the network comes back once disconnected: nothing", () => h.Do((e, now) => e.HandleNetworkAvailable(now)));
        object idle = t.Caller("idle");
        t.Step("disconnect while closed", () => h.Do((e, now) => e.Disconnect(idle, now)));
    }

    private static void Dispose(EngineTranscript t)
    {
        EngineHarness h = t.Harness;
        Connect(t, t.Caller("app"));
        object publisher = t.Caller("publisher");
        object subscriber = t.Caller("subscriber");
        object waiter = t.Caller("waiter");
        t.Step("a QoS 1 publish in flight and a SUBSCRIBE unanswered", () =>
        {
            h.Publish("t/1", 1, caller: publisher);
            h.Subscribe("s/#", caller: subscriber);
        });
        t.Step("the link is lost", () => h.LinkError());
        t.Step("a second connect waits", () => h.Do((e, now) => e.Connect(waiter, now)));
        t.Step("dispose", () => h.Do((e, now) => e.Dispose(now)));
        t.Step("dispose again: nothing", () => h.Do((e, now) => e.Dispose(now)));
        t.Step("connect after dispose", () => h.Do((e, now) => e.Connect(waiter, now)));
        t.Step("disconnect after dispose", () => h.Do((e, now) => e.Disconnect(waiter, now)));
        t.Step("publish after dispose", () => h.Offer(new OutboundMessage("t", [1], 0, false, waiter)));
        t.Step("subscribe after dispose", () => h.Subscribe("x"));
    }

    private static void DisposeConnected(EngineTranscript t)
    {
        Connect(t, t.Caller("app"));
        object bye = t.Caller("bye");
        object publisher = t.Caller("publisher");
        t.Step("two QoS 1 publishes in flight", () =>
        {
            t.Harness.Publish("t/1", 1, caller: publisher);
            t.Harness.Publish("t/2", 1, caller: publisher);
        });
        t.Step("disconnect, then dispose before DISCONNECT is written", () =>
        {
            t.Harness.Do((e, now) => e.Disconnect(bye, now));
            t.Harness.Do((e, now) => e.Dispose(now));
        });
    }

    private static void FirstConnectAttempts(EngineTranscript t)
    {
        EngineHarness h = t.Harness;
        object caller = t.Caller("app");
        t.Step("connect", () => h.Do((e, now) => e.Connect(caller, now)));
        t.Step("refused", () => h.LinkError(SocketErrorCode.ConnectionRefused));
        t.Step("backoff elapses", () => h.Advance(h.Engine.PollTimeout() - h.Now));
        t.Step("link opens", () => h.Open());
        t.Step("CONNACK 3: the second attempt, the last allowed, fails", () => h.ConnAck(returnCode: 3));
        t.Step("the network comes back once given up: nothing", () => h.Do((e, now) => e.HandleNetworkAvailable(now)));
        object again = t.Caller("again");
        t.Step("connect afresh", () => h.Do((e, now) => e.Connect(again, now)));
        t.Step("refused", () => h.LinkError(SocketErrorCode.ConnectionRefused));
        t.Step("backoff elapses", () => h.Advance(h.Engine.PollTimeout() - h.Now));
        t.Step("link opens", () => h.Open());
        t.Step("CONNACK 0", () => h.ConnAck());
        t.Step("the link is lost, once connected the bound no longer applies", () => h.LinkError());
        t.Step("refused", () =>
        {
            h.Advance(h.Engine.PollTimeout() - h.Now);
            h.LinkError(SocketErrorCode.ConnectionRefused);
        });
        t.Step("refused", () =>
        {
            h.Advance(h.Engine.PollTimeout() - h.Now);
            h.LinkError(SocketErrorCode.ConnectionRefused);
        });
    }

    private static void FirstConnectTime(EngineTranscript t)
    {
        EngineHarness h = t.Harness;
        object caller = t.Caller("app");
        t.Step("5 s pass before the application connects (the bound runs from the connect)", () => h.Advance(5_000));
        t.Step("connect", () => h.Do((e, now) => e.Connect(caller, now)));
        t.Step("the link never opens: the response time ends the attempt", () => h.Advance(h.Options.ResponseTimeMs));
        t.Step("backoff elapses", () => h.Advance(h.Engine.PollTimeout() - h.Now));
        t.Step("the link never opens: the first connect's bound ends it", () => h.Advance(h.Engine.PollTimeout() - h.Now));
    }

    private static void FirstConnectOneAttempt(EngineTranscript t)
    {
        EngineHarness h = t.Harness;
        object caller = t.Caller("app");
        t.Step("5 s pass before the application connects", () => h.Advance(5_000));
        t.Step("connect", () => h.Do((e, now) => e.Connect(caller, now)));
        t.Step("200 ms later, refused: the one attempt allowed has failed", () =>
        {
            h.Advance(200);
            h.LinkError(SocketErrorCode.ConnectionRefused);
        });
    }

    private static void Publish(EngineTranscript t)
    {
        EngineHarness h = t.Harness;
        object early = t.Caller("early");
        t.Step("a QoS 0 publish before any connect is queued", () => h.Publish("q0/early", 0, caller: early));
        object withdrawn = t.Caller("withdrawn");
        OutboundMessage? gone = null;
        t.Step("a QoS 1 publish, then cancelled before it was sent", () =>
        {
            gone = h.Publish("q1/withdrawn", 1, caller: withdrawn);
            h.Do((e, now) => e.CancelPublish(gone, now));
        });
        t.Step("cancelled again: nothing", () => h.Do((e, now) => e.CancelPublish(gone!, now)));
        object q0Cancelled = t.Caller("q0-cancelled");
        t.Step("a QoS 0 publish cancelled before it was sent", () =>
        {
            OutboundMessage m = h.Publish("q0/cancelled", 0, caller: q0Cancelled);
            h.Do((e, now) => e.CancelPublish(m, now));
        });
        t.Step("QoS 3 refused", () => h.Offer(new OutboundMessage("q3", [1], 3, false, early)));
        t.Step("QoS -1 refused", () => h.Offer(new OutboundMessage("q-1", [1], -1, false, early)));
        Connect(t, t.Caller("app"));
        t.Step("the QoS 0 message is written", () => h.CompleteWrites());
        object a = t.Caller("a");
        object b = t.Caller("b");
        object c = t.Caller("c");
        OutboundMessage? ma = null;
        OutboundMessage? mb = null;
        t.Step("three QoS 1 publishes: the window (2) holds the third", () =>
        {
            ma = h.Publish("q1/a", 1, caller: a);
            mb = h.Publish("q1/b", 1, caller: b);
            h.Publish("q1/c", 1, caller: c);
        });
        t.Step("PUBACK a: c goes", () => h.Do((e, now) => e.HandlePubAck(e.Link, ma!.PacketId, now)));
        t.Step("PUBACK a again: nothing awaits it", () => h.Do((e, now) => e.HandlePubAck(e.Link, 1, now)));
        t.Step("b's caller stops waiting: b stays held", () => h.Do((e, now) => e.CancelPublish(mb!, now)));
        t.Step("b's caller cancels again: nothing", () => h.Do((e, now) => e.CancelPublish(mb!, now)));
        t.Step("no PUBACK within the response time: re-sent with DUP", () => h.Advance(h.Options.ResponseTimeMs));
        t.Step("again: the re-send limit (1) declares the link dead", () => h.Advance(h.Options.ResponseTimeMs));
        t.Step("backoff elapses", () => h.Advance(h.Engine.PollTimeout() - h.Now));
        t.Step("link opens", () => h.Open());
        t.Step("CONNACK 0: a new session, both re-sent", () => h.ConnAck());
        t.Step("PUBACK b: no event, its caller left", () => h.Do((e, now) => e.HandlePubAck(e.Link, mb!.PacketId, now)));
        object lost = t.Caller("lost");
        t.Step("a QoS 0 message handed to the link, which dies before it is written", () =>
        {
            h.Publish("q0/lost", 0, caller: lost);
            h.LinkError();
        });
        object retryQueued = t.Caller("queued");
        t.Step("a QoS 0 and a QoS 1 publish while in backoff are queued", () =>
        {
            h.Publish("q0/queued", 0, caller: retryQueued);
            h.Publish("q1/queued", 1, caller: retryQueued);
        });
        t.Step("reconnect with the session present", () => h.Reconnect(sessionPresent: true));
        t.Step("everything written and acknowledged", () =>
        {
            h.CompleteWrites();
            foreach (OutboundMessage m in h.Engine.SnapshotHeld())
            {
                h.Do((e, now) => e.HandlePubAck(e.Link, m.PacketId, now));
            }
        });
        t.Step("a QoS 0 cancelled once handed to the link: it still completes when written", () =>
        {
            OutboundMessage m = h.Publish("q0/late-cancel", 0, caller: retryQueued);
            h.Do((e, now) => e.CancelPublish(m, now));
            h.CompleteWrites();
        });
        t.Step("a write report for an action of another link's message: nothing", () => h.CompleteWrites());
    }

    /// <summary>Outbound QoS 2: each new row's effect, the answers a flow ignores, and the window's count of QoS 2 in flight.</summary>
    private static void Qos2(EngineTranscript t)
    {
        EngineHarness h = t.Harness;
        Connect(t, t.Caller("app"));
        OutboundMessage? a = null;
        t.Step("a QoS 2 publish: PUBLISH with a new identifier, DUP = 0, awaiting PUBREC", () => a = h.Publish("q2/a", 2, caller: t.Caller("a")));
        t.Step("PUBREC: PUBREL, now awaiting PUBCOMP (still in the window)", () => h.Do((e, now) => e.HandlePubRec(e.Link, a!.PacketId, now)));
        t.Step("PUBREC again, as for a DUP re-send: PUBREL again", () => h.Do((e, now) => e.HandlePubRec(e.Link, a!.PacketId, now)));
        t.Step("a PUBACK for it: QoS 1's answer, ignored", () => h.Do((e, now) => e.HandlePubAck(e.Link, a!.PacketId, now)));
        t.Step("PUBCOMP: completed", () => h.Do((e, now) => e.HandlePubComp(e.Link, a!.PacketId, now)));
        t.Step("PUBCOMP again: nothing awaits it", () => h.Do((e, now) => e.HandlePubComp(e.Link, a!.PacketId, now)));

        OutboundMessage? b = null;
        OutboundMessage? c = null;
        OutboundMessage? d = null;
        object bCaller = t.Caller("b");
        object dCaller = t.Caller("d");
        t.Step("QoS 2 b and QoS 1 c fill the window (2); QoS 2 d waits", () =>
        {
            b = h.Publish("q2/b", 2, caller: bCaller);
            c = h.Publish("q1/c", 1, caller: t.Caller("c"));
            d = h.Publish("q2/d", 2, caller: dCaller);
        });
        t.Step("a PUBACK and a PUBCOMP for b, before its PUBREC: ignored", () =>
        {
            h.Do((e, now) => e.HandlePubAck(e.Link, b!.PacketId, now));
            h.Do((e, now) => e.HandlePubComp(e.Link, b!.PacketId, now));
        });
        t.Step("a PUBREC and a PUBCOMP for c: QoS 2's answers, ignored", () =>
        {
            h.Do((e, now) => e.HandlePubRec(e.Link, c!.PacketId, now));
            h.Do((e, now) => e.HandlePubComp(e.Link, c!.PacketId, now));
        });
        t.Step("PUBACK c: d goes", () => h.Do((e, now) => e.HandlePubAck(e.Link, c!.PacketId, now)));
        t.Step("b's caller stops waiting: b stays held until PUBCOMP", () => h.Do((e, now) => e.CancelPublish(b!, now)));
        t.Step("PUBREC d: PUBREL", () => h.Do((e, now) => e.HandlePubRec(e.Link, d!.PacketId, now)));
        t.Step("no answers within the response time: b's PUBLISH re-sent with DUP, d's PUBREL re-sent", () => h.Advance(h.Options.ResponseTimeMs));
        t.Step("again: the re-send limit (1) declares the link dead; b will re-send its PUBLISH, d its PUBREL", () => h.Advance(h.Options.ResponseTimeMs));
        t.Step("d's caller stops waiting while d waits to re-send its PUBREL: d stays held", () => h.Do((e, now) => e.CancelPublish(d!, now)));
        t.Step("the first reconnect is refused: both still wait", () =>
        {
            h.Advance(h.Engine.PollTimeout() - h.Now);
            h.LinkError(SocketErrorCode.ConnectionRefused);
        });
        t.Step("reconnect with the session present: b's PUBLISH (DUP) and d's PUBREL, never d's PUBLISH", () => h.Reconnect(sessionPresent: true));
        t.Step("PUBREC b: PUBREL", () => h.Do((e, now) => e.HandlePubRec(e.Link, b!.PacketId, now)));
        t.Step("no PUBCOMPs within the response time: both PUBRELs re-sent", () => h.Advance(h.Options.ResponseTimeMs));
        t.Step("again: the re-send limit declares the link dead (no PUBCOMP)", () => h.Advance(h.Options.ResponseTimeMs));
        t.Step("reconnect with a new session: both PUBRELs re-sent", () => h.Reconnect());
        t.Step("PUBCOMP b and d: complete, their callers already left", () =>
        {
            h.Do((e, now) => e.HandlePubComp(e.Link, b!.PacketId, now));
            h.Do((e, now) => e.HandlePubComp(e.Link, d!.PacketId, now));
        });

        OutboundMessage? e = null;
        OutboundMessage? g = null;
        object eCaller = t.Caller("e");
        object gCaller = t.Caller("g");
        t.Step("QoS 2 e and g sent, and PUBREC e: the window (2) counts e awaiting PUBCOMP and g awaiting PUBREC", () =>
        {
            e = h.Publish("q2/e", 2, caller: eCaller);
            g = h.Publish("q2/g", 2, caller: gCaller);
            h.Do((en, now) => en.HandlePubRec(en.Link, e!.PacketId, now));
        });
        t.Step("e's caller stops waiting while e awaits PUBCOMP: e stays held", () => h.Do((en, now) => en.CancelPublish(e!, now)));
        t.Step("the link is lost: e will re-send its PUBREL, g its PUBLISH", () => h.LinkError());
        t.Step("g's caller stops waiting while g waits to re-send its PUBLISH: g stays held", () => h.Do((en, now) => en.CancelPublish(g!, now)));
        object fCaller = t.Caller("f");
        t.Step("QoS 2 f published and cancelled before it was ever sent: withdrawn", () =>
        {
            OutboundMessage f = h.Publish("q2/f", 2, caller: fCaller);
            h.Do((en, now) => en.CancelPublish(f, now));
        });
        object hCaller = t.Caller("h");
        t.Step("QoS 2 h queued while disconnected", () => h.Publish("q2/h", 2, caller: hCaller));
        t.Step("reconnect with the session present: e's PUBREL, g's PUBLISH (DUP); h waits for the window", () => h.Reconnect(sessionPresent: true));
        t.Step("dispose: h's caller hears it failed; e's and g's left already", () => h.Do((en, now) => en.Dispose(now)));
    }

    private static void OutboundQueue(EngineTranscript t)
    {
        EngineHarness h = t.Harness;
        object first = t.Caller("first");
        object second = t.Caller("second");
        object third = t.Caller("third");
        object big = t.Caller("big");
        t.Step("two QoS 0 publishes fill the queue (2)", () =>
        {
            h.Publish("q0/1", 0, caller: first);
            h.Publish("q0/2", 0, caller: second);
        });
        t.Step("a third drops the oldest QoS 0", () => h.Publish("q1/3", 1, caller: third));
        t.Step("another drops the next QoS 0", () => h.Publish("q1/4", 1, caller: third));
        t.Step("a fifth must wait: only QoS 1 is held", () => h.Offer(new OutboundMessage("q1/5", [1], 1, false, third)));
        Connect(t, t.Caller("app"));
        t.Step("PUBACK 1: room again", () => h.Do((e, now) => e.HandlePubAck(e.Link, 1, now)));
        t.Step("a message of 120 B waits on the byte bound (100)", () => h.Offer(new OutboundMessage("q1/big", new byte[120], 1, false, big)));
        t.Step("PUBACK 2: room again", () => h.Do((e, now) => e.HandlePubAck(e.Link, 2, now)));
    }

    private static void OutboundReject(EngineTranscript t)
    {
        EngineHarness h = t.Harness;
        object first = t.Caller("first");
        t.Step("one QoS 1 publish fills the queue (1)", () => h.Publish("q1/1", 1, caller: first));
        t.Step("a second is rejected", () => h.Offer(new OutboundMessage("q1/2", [1], 1, false, first)));
        t.Step("the first is withdrawn: room again", () => h.Do((e, now) => e.CancelPublish(h.Engine.SnapshotHeld()[0], now)));
    }

    private static void Requests(EngineTranscript t)
    {
        EngineHarness h = t.Harness;
        object early = t.Caller("early");
        SubscriptionRequest? withdrawn = null;
        t.Step("a SUBSCRIBE queued before connecting, then withdrawn", () =>
        {
            withdrawn = h.Subscribe("w/#", caller: early);
            h.Do((e, now) => e.CancelRequest(withdrawn, now));
        });
        t.Step("withdrawn again: nothing", () => h.Do((e, now) => e.CancelRequest(withdrawn!, now)));
        object s1 = t.Caller("s1");
        t.Step("a SUBSCRIBE queued before connecting", () => h.Subscribe("a/#", 1, s1));
        Connect(t, t.Caller("app"));
        t.Step("SUBACK granted 1", () => h.Do((e, now) => e.HandleSubAck(e.Link, h.LastRequestSent.PacketId, [1], now)));
        object refused = t.Caller("refused");
        t.Step("SUBSCRIBE refused (0x80)", () =>
        {
            h.Subscribe("forbidden/#", 1, refused);
            h.Do((e, now) => e.HandleSubAck(e.Link, h.LastRequestSent.PacketId, [0x80], now));
        });
        object two = t.Caller("two");
        t.Step("a SUBSCRIBE of two filters, answered with one code: a protocol violation", () =>
        {
            h.Do((e, now) => e.Request(SubscriptionRequest.Subscribe(["b/1", "b/2"], [0, 2], two), now));
            h.Do((e, now) => e.HandleSubAck(e.Link, h.LastRequestSent.PacketId, [0], now));
        });
        t.Step("reconnect, the session present: only b/1, b/2 again", () => h.Reconnect(sessionPresent: true));
        t.Step("SUBACK granted 0, 2", () => h.Do((e, now) => e.HandleSubAck(e.Link, h.LastRequestSent.PacketId, [0, 2], now)));
        object u = t.Caller("u");
        t.Step("UNSUBSCRIBE b/1 answered by a SUBACK: a protocol violation", () =>
        {
            h.Unsubscribe("b/1", u);
            h.Do((e, now) => e.HandleSubAck(e.Link, h.LastRequestSent.PacketId, [0], now));
        });
        t.Step("reconnect, a new session: the subscriptions are restored first", () => h.Reconnect(sessionPresent: false));
        t.Step("the restore: a/# refused, b/2 granted 1", () =>
        {
            EngineAction restore = h.Sent.Last(a => a.Request != null && a.Request.IsRestore);
            h.Do((e, now) => e.HandleSubAck(e.Link, restore.PacketId, [0x80, 1], now));
        });
        t.Step("UNSUBACK b/1", () => h.Do((e, now) => e.HandleUnsubAck(e.Link, h.LastRequestSent.PacketId, now)));
        object s3 = t.Caller("s3");
        SubscriptionRequest? r3 = null;
        t.Step("a SUBSCRIBE answered by an UNSUBACK: a protocol violation", () =>
        {
            r3 = h.Subscribe("c", 1, s3);
            h.Do((e, now) => e.HandleUnsubAck(e.Link, h.LastRequestSent.PacketId, now));
        });
        t.Step("reconnect", () => h.Reconnect(sessionPresent: true));
        t.Step("its caller stops waiting once it was sent", () => h.Do((e, now) => e.CancelRequest(r3!, now)));
        t.Step("no SUBACK within the response time: the link is closed", () => h.Advance(h.Options.ResponseTimeMs));
        t.Step("reconnect", () => h.Reconnect(sessionPresent: true));
        t.Step("SUBACK: no event, its caller left", () => h.Do((e, now) => e.HandleSubAck(e.Link, h.LastRequestSent.PacketId, [1], now)));
        object u2 = t.Caller("u2");
        SubscriptionRequest? ur = null;
        t.Step("an UNSUBSCRIBE whose caller stops waiting", () =>
        {
            ur = h.Unsubscribe("c", u2);
            h.Do((e, now) => e.CancelRequest(ur, now));
        });
        t.Step("UNSUBACK: no event", () => h.Do((e, now) => e.HandleUnsubAck(e.Link, ur!.PacketId == 0 ? h.LastRequestSent.PacketId : ur.PacketId, now)));
    }

    private static void Superseded(EngineTranscript t)
    {
        EngineHarness h = t.Harness;
        Connect(t, t.Caller("app"));
        object sub = t.Caller("sub");
        object unsub = t.Caller("unsub");
        object sub2 = t.Caller("sub2");
        t.Step("SUBSCRIBE x,y then UNSUBSCRIBE x; the SUBACK is lost", () =>
        {
            h.Do((e, now) => e.Request(SubscriptionRequest.Subscribe(["x", "y"], [1, 1], sub), now));
            h.Unsubscribe("x", unsub);
        });
        t.Step("UNSUBACK: the SUBSCRIBE's x was applied; y is sent again alone", () => h.Do((e, now) => e.HandleUnsubAck(e.Link, h.LastRequestSent.PacketId, now)));
        t.Step("SUBACK for y", () => h.Do((e, now) => e.HandleSubAck(e.Link, h.LastRequestSent.PacketId, [1], now)));
        t.Step("UNSUBSCRIBE y then SUBSCRIBE y; the UNSUBACK is lost", () =>
        {
            h.Unsubscribe("y", unsub);
            h.Subscribe("y", 0, sub2);
        });
        t.Step("SUBACK: the UNSUBSCRIBE was applied and is complete", () => h.Do((e, now) => e.HandleSubAck(e.Link, h.LastRequestSent.PacketId, [0], now)));
        object z = t.Caller("z");
        object unz = t.Caller("unz");
        t.Step("SUBSCRIBE z at QoS 2 then UNSUBSCRIBE z; the SUBACK is lost", () =>
        {
            h.Subscribe("z", 2, z);
            h.Unsubscribe("z", unz);
        });
        t.Step("UNSUBACK: the SUBSCRIBE was applied and is complete, granted as asked", () => h.Do((e, now) => e.HandleUnsubAck(e.Link, h.LastRequestSent.PacketId, now)));
        object gone = t.Caller("gone");
        object ungone = t.Caller("ungone");
        t.Step("SUBSCRIBE g, its caller stops waiting, then UNSUBSCRIBE g", () =>
        {
            SubscriptionRequest g = h.Subscribe("g", 1, gone);
            h.Do((e, now) => e.CancelRequest(g, now));
            h.Unsubscribe("g", ungone);
        });
        t.Step("UNSUBACK: the detached SUBSCRIBE ends with no event", () => h.Do((e, now) => e.HandleUnsubAck(e.Link, h.LastRequestSent.PacketId, now)));
        t.Step("SUBSCRIBE r, granted", () =>
        {
            h.Subscribe("r", 1, t.Caller("r"));
            h.Do((e, now) => e.HandleSubAck(e.Link, h.LastRequestSent.PacketId, [1], now));
        });
        t.Step("reconnect, a new session: r and y restored", () => h.LoseAndReconnect(sessionPresent: false));
        object unr = t.Caller("unr");
        t.Step("UNSUBSCRIBE r and y before the restore is answered", () => h.Do((e, now) => e.Request(SubscriptionRequest.Unsubscribe(["r", "y"], unr), now)));
        t.Step("UNSUBACK: the restore, left with no filter, ends with no event", () => h.Do((e, now) => e.HandleUnsubAck(e.Link, h.LastRequestSent.PacketId, now)));
        SubscriptionRequest? s1 = null;
        t.Step("two SUBSCRIBEs to one filter; only the second is answered", () =>
        {
            s1 = h.Subscribe("same", 1, t.Caller("same-1"));
            h.Subscribe("same", 2, t.Caller("same-2"));
            h.Do((e, now) => e.HandleSubAck(e.Link, h.LastRequestSent.PacketId, [2], now));
        });
        t.Step("the first, of the same kind, is not superseded: it waits for its own SUBACK", () => h.Do((e, now) => e.HandleSubAck(e.Link, s1!.PacketId, [1], now)));
    }

    private static void Receive(EngineTranscript t)
    {
        EngineHarness h = t.Harness;
        Connect(t, t.Caller("app"));
        t.Step("QoS 0 and QoS 1 received: the queue (2) is full, reading pauses", () =>
        {
            h.Receive("r/0", 0);
            h.Receive("r/1", 1, 5);
        });
        t.Step("quiet for longer than the keepalive while paused: no expiry", () => h.Advance(20_000));
        t.Step("take QoS 0: nothing to acknowledge, reading resumes", () => h.Take());
        t.Step("take QoS 1: PUBACK", () => h.Take());
        t.Step("take from an empty queue", () => h.Take());
        t.Step("QoS 2 received", () => h.Receive("r/2", 2, 6));
        t.Step("the same QoS 2 again (DUP) before it is taken: not delivered again", () => h.Receive("r/2", 2, 6, dup: true));
        t.Step("take it: PUBREC", () => h.Take());
        t.Step("again after PUBREC: PUBREC again, not delivered", () => h.Receive("r/2", 2, 6, dup: true));
        t.Step("PUBREL: PUBCOMP", () => h.Do((e, now) => e.HandlePubRel(e.Link, 6, now)));
        t.Step("a QoS 1 received, the link lost before it is taken", () =>
        {
            h.Receive("r/1b", 1, 7);
            h.LinkError();
        });
        t.Step("reconnect", () => h.Reconnect(sessionPresent: true));
        t.Step("take it: no PUBACK on the new link (the broker re-sends it)", () => h.Take());
        t.Step("four QoS 1 decoded at once, past the queue's length (2)", () =>
        {
            for (int i = 10; i < 14; i++)
            {
                h.Receive("burst/" + i, 1, i);
            }
        });
        t.Step("quiet for 20 s while paused", () => h.Advance(20_000));
        t.Step("take one: still no room, still paused", () => h.Take());
        t.Step("quiet for 20 s while paused", () => h.Advance(20_000));
        t.Step("take one: the queue is at its length (2), still paused", () => h.Take());
        t.Step("take the rest: reading resumes", () =>
        {
            h.Take();
            h.Take();
        });
    }

    private static void ReceiveDrop(EngineTranscript t)
    {
        EngineHarness h = t.Harness;
        Connect(t, t.Caller("app"));
        t.Step("QoS 0 received fills the queue (1)", () => h.Receive("d/1", 0));
        t.Step("another QoS 0 drops the oldest", () => h.Receive("d/2", 0));
        t.Step("a QoS 1 drops the QoS 0: reading pauses", () => h.Receive("d/3", 1, 3));
        t.Step("take it", () => h.Take());
    }

    private static void CustomBackoff(EngineTranscript t)
    {
        EngineHarness h = t.Harness;
        object caller = t.Caller("app");
        t.Step("connect", () => h.Do((e, now) => e.Connect(caller, now)));
        for (int i = 0; i < 3; i++)
        {
            t.Step("refused, the policy's delay is waited", () =>
            {
                h.LinkError(SocketErrorCode.ConnectionRefused);
                h.Advance(h.Engine.PollTimeout() - h.Now);
            });
        }
    }

    private static void RequestDeadlines(EngineTranscript t)
    {
        EngineHarness h = t.Harness;
        Connect(t, t.Caller("app"));
        SubscriptionRequest? a = null;
        t.Step("SUBSCRIBE a", () => a = h.Subscribe("a", 1, t.Caller("a")));
        t.Step("500 ms later, SUBSCRIBE b", () =>
        {
            h.Advance(500);
            h.Subscribe("b", 1, t.Caller("b"));
        });
        t.Step("SUBACK a: the deadline is b's", () => h.Do((e, now) => e.HandleSubAck(e.Link, a!.PacketId, [1], now)));
        t.Step("SUBACK b: no deadline", () => h.Do((e, now) => e.HandleSubAck(e.Link, h.LastRequestSent.PacketId, [1], now)));
        t.Step("a QoS 1 publish, and 1 s later a SUBSCRIBE", () =>
        {
            h.Publish("p", 1, caller: t.Caller("p"));
            h.Advance(1_000);
            h.Subscribe("c", 1, t.Caller("c"));
        });
        t.Step("the PUBACK is overdue first: re-sent, the request not yet overdue", () => h.Advance(1_000));
        t.Step("PUBACK: the deadline is the request's", () => h.Do((e, now) => e.HandlePubAck(e.Link, 3, now)));
        t.Step("SUBACK c", () => h.Do((e, now) => e.HandleSubAck(e.Link, h.LastRequestSent.PacketId, [1], now)));
        t.Step("two SUBSCRIBEs at once, neither answered", () =>
        {
            h.Subscribe("d", 1, t.Caller("d"));
            h.Subscribe("e", 1, t.Caller("e"));
            h.Advance(h.Options.ResponseTimeMs);
        });
        t.Step("reconnect: both again", () => h.Reconnect(sessionPresent: true));
    }

    private static void OutboundBytes(EngineTranscript t)
    {
        EngineHarness h = t.Harness;
        Connect(t, t.Caller("app"));
        OutboundMessage? empty = null;
        OutboundMessage? full = null;
        t.Step("a 0 B and a 100 B QoS 1 publish: the byte bound (100) is reached", () =>
        {
            empty = h.Publish("empty", 1, [], t.Caller("empty"));
            full = h.Publish("full", 1, new byte[100], t.Caller("full"));
        });
        t.Step("a 1 B publish waits", () => h.Offer(new OutboundMessage("one", [1], 1, false, t.Caller("one"))));
        t.Step("PUBACK for the 0 B message: still 100 B, no room", () => h.Do((e, now) => e.HandlePubAck(e.Link, empty!.PacketId, now)));
        t.Step("PUBACK for the 100 B message: room", () => h.Do((e, now) => e.HandlePubAck(e.Link, full!.PacketId, now)));
        t.Step("a 200 B publish into the empty queue is accepted", () => h.Publish("big", 1, new byte[200], t.Caller("big")));
    }

    private static void SessionInDoubt(EngineTranscript t)
    {
        EngineHarness h = t.Harness;
        Connect(t, t.Caller("app"));
        t.Step("SUBSCRIBE s, granted", () =>
        {
            h.Subscribe("s", 1, t.Caller("s"));
            h.Do((e, now) => e.HandleSubAck(e.Link, h.LastRequestSent.PacketId, [1], now));
        });
        t.Step("the link is lost", () => h.LinkError());
        for (int i = 0; i < 2; i++)
        {
            t.Step("CONNECT sent, never answered: the session is in doubt", () =>
            {
                h.Advance(h.Engine.PollTimeout() - h.Now);
                h.Open();
                h.Advance(h.Options.ResponseTimeMs);
            });
        }

        t.Step("a refused attempt: no CONNECT went", () =>
        {
            h.Advance(h.Engine.PollTimeout() - h.Now);
            h.LinkError(SocketErrorCode.ConnectionRefused);
        });
        t.Step("CONNACK with the session present, but in doubt: the subscriptions are restored", () =>
        {
            h.Advance(h.Engine.PollTimeout() - h.Now);
            h.Open();
            h.ConnAck(sessionPresent: true);
        });
        t.Step("the restore's SUBACK", () => h.Do((e, now) => e.HandleSubAck(e.Link, h.LastRequestSent.PacketId, [1], now)));
        t.Step("the link is lost", () => h.LinkError());
        t.Step("a refused attempt: no CONNECT went, the session is trusted", () =>
        {
            h.Advance(h.Engine.PollTimeout() - h.Now);
            h.LinkError(SocketErrorCode.ConnectionRefused);
        });
        t.Step("CONNACK with the session present: resumed, nothing restored", () =>
        {
            h.Advance(h.Engine.PollTimeout() - h.Now);
            h.Open();
            h.ConnAck(sessionPresent: true);
        });
    }

    private static void Drain(EngineTranscript t)
    {
        EngineHarness h = t.Harness;
        object d0 = t.Caller("d0");
        t.Step("drain with nothing held: done at once", () => h.Do((e, now) => e.Drain(d0, now)));
        Connect(t, t.Caller("app"));
        object d1 = t.Caller("d1");
        OutboundMessage? a = null;
        OutboundMessage? c = null;
        t.Step("QoS 1 a and QoS 0 b, a drain, then QoS 1 c", () =>
        {
            a = h.Publish("a", 1, caller: t.Caller("a"));
            h.Publish("b", 0, caller: t.Caller("b"));
            h.Do((e, now) => e.Drain(d1, now));
            c = h.Publish("c", 1, caller: t.Caller("c"));
        });
        t.Step("PUBACK a: b is not yet written", () => h.Do((e, now) => e.HandlePubAck(e.Link, a!.PacketId, now)));
        t.Step("b written: the drain is done, c is not waited for", () => h.CompleteWrites());
        object d2 = t.Caller("d2");
        object d3 = t.Caller("d3");
        t.Step("two drains for c; the first caller stops waiting", () =>
        {
            h.Do((e, now) => e.Drain(d2, now));
            h.Do((e, now) => e.Drain(d3, now));
            h.Do((e, now) => e.CancelDrain(d2, now));
        });
        t.Step("cancelled again: nothing", () => h.Do((e, now) => e.CancelDrain(d2, now)));
        t.Step("the link is lost and comes back", () => h.LoseAndReconnect(sessionPresent: true));
        t.Step("PUBACK c: the second drain is done", () => h.Do((e, now) => e.HandlePubAck(e.Link, c!.PacketId, now)));
        object d4 = t.Caller("d4");
        t.Step("a drain waiting for d, then dispose", () =>
        {
            h.Publish("d", 1, caller: t.Caller("d"));
            h.Do((e, now) => e.Drain(d4, now));
            h.Do((e, now) => e.Dispose(now));
        });
        t.Step("drain after dispose", () => h.Do((e, now) => e.Drain(d4, now)));
    }

    private static void OversizedPublish(EngineTranscript t)
    {
        EngineHarness h = t.Harness;
        object app = t.Caller("app");
        t.Step("connect", () => h.Do((e, now) => e.Connect(app, now)));
        t.Step("link opens", () => h.Open());
        t.Step("an oversized PUBLISH before CONNACK: a protocol violation", () => h.ReceiveOversized("early", 1, 1));
        t.Step("backoff elapses", () => h.Advance(h.Engine.PollTimeout() - h.Now));
        t.Step("link opens", () => h.Open());
        t.Step("CONNACK 0", () => h.ConnAck());
        t.Step("oversized QoS 0: counted and reported, nothing to acknowledge", () => h.ReceiveOversized("big/0", 0, size: 2_000, limit: 1_024));
        t.Step("oversized QoS 1, nothing queued: PUBACK at once", () => h.ReceiveOversized("big/1", 1, 11, size: 2_000_000, limit: 1_048_576));
        t.Step("oversized QoS 2, nothing queued: PUBREC at once", () => h.ReceiveOversized("big/2", 2, 12));
        t.Step("its re-delivery (DUP): PUBREC again, not counted again", () => h.ReceiveOversized("big/2", 2, 12, dup: true));
        t.Step("PUBREL: PUBCOMP", () => h.Do((e, now) => e.HandlePubRel(e.Link, 12, now)));
        t.Step("a QoS 1 message, then oversized QoS 1 and QoS 2 behind it: nothing acknowledged yet, the queue (3) is full", () =>
        {
            h.Receive("m/1", 1, 21);
            h.ReceiveOversized("big/3", 1, 22);
            h.ReceiveOversized("big/4", 2, 23);
        });
        t.Step("the QoS 2 one again (DUP) while it waits: nothing sent", () => h.ReceiveOversized("big/4", 2, 23, dup: true));
        t.Step("take m/1: PUBACK 21, then 22 and PUBREC 23 in order; reading resumes", () => h.Take());
        t.Step("take from an empty queue: the placeholders were never the head", () => h.Take());
        t.Step("PUBREL 23: PUBCOMP", () => h.Do((e, now) => e.HandlePubRel(e.Link, 23, now)));
        t.Step("a QoS 1 message and an oversized QoS 2 behind it, then the link is lost", () =>
        {
            h.Receive("m/2", 1, 31);
            h.ReceiveOversized("big/5", 2, 32);
            h.LinkError();
        });
        t.Step("reconnect, session present", () => h.Reconnect(sessionPresent: true));
        t.Step("the broker re-sends both: m/2 queued again, the oversized one's PUBREC moves to this link", () =>
        {
            h.Receive("m/2", 1, 31, dup: true);
            h.ReceiveOversized("big/5", 2, 32, dup: true);
        });
        t.Step("take m/2 of the lost link: no PUBACK; its PUBREC 32 goes on this link", () => h.Take());
        t.Step("take m/2 again: PUBACK 31", () => h.Take());
        t.Step("outbound: a QoS 1 PUBLISH of 101 bytes is TooLarge, nothing held", () =>
            Assert.Equal(AdmitVerdict.TooLarge, h.Offer(new OutboundMessage("t", new byte[94], 1, false, t.Caller("too-large")))));
        t.Step("outbound: one of 100 bytes is sent", () => h.Publish("t", 1, new byte[93], t.Caller("fits")));
        object bye = t.Caller("bye");
        t.Step("disconnect", () => h.Do((e, now) => e.Disconnect(bye, now)));
        t.Step("an oversized PUBLISH while disconnecting: ignored, not acknowledged", () => h.ReceiveOversized("late", 1, 41));
    }

    private static void OversizedPublishDrop(EngineTranscript t)
    {
        EngineHarness h = t.Harness;
        Connect(t, t.Caller("app"));
        t.Step("a QoS 0 message, then an oversized QoS 1 behind it: the queue (2) is full", () =>
        {
            h.Receive("q/a", 0);
            h.ReceiveOversized("big/1", 1, 5);
        });
        t.Step("another QoS 0: the oldest is dropped, and the placeholder that reached the head is acknowledged", () => h.Receive("q/b", 0));
        t.Step("an oversized QoS 1 with room in the queue: queued behind q/b", () => h.ReceiveOversized("big/2", 1, 6));
        t.Step("an oversized QoS 1 at a full queue: q/b is dropped, big/2 acknowledged, then this one at once", () => h.ReceiveOversized("big/3", 1, 7));
    }

    /// <summary>A backoff policy of its own: 100 ms times the attempt.</summary>
    private sealed class StepBackoff : IBackoffPolicy
    {
        public long DelayMs(int attempt) => 100L * attempt;
    }

    private static void KeepAlive(EngineTranscript t)
    {
        EngineHarness h = t.Harness;
        Connect(t, t.Caller("app"));
        t.Step("quiet: PINGREQ at the keepalive", () => h.Advance(h.Options.KeepAliveMs));
        t.Step("PINGRESP", () => h.Do((e, now) => e.HandlePingResp(e.Link, now)));
        t.Step("quiet, and no PINGRESP: the link is declared dead", () => h.Advance(h.Options.KeepAliveMs * 3));
    }
}
