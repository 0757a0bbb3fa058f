using System.Text;
using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Engine;

/// <summary>
/// Writes down everything a driver can observe of an engine, step by step: each action (every field that matters for
/// its kind), each event (every field set), then the engine's state, deadline, counts and counters. A scenario's
/// transcript is compared with the one checked in under Engine/Transcripts, so the reasons the engine gives (which
/// reach users in exceptions and events), its counters and its state after each step are all held to what was reviewed.
/// </summary>
internal sealed class EngineTranscript
{
    private readonly StringBuilder _text = new();
    private readonly Dictionary<object, string> _names = new(ReferenceEqualityComparer.Instance);
    private int _actionMark;
    private int _eventMark;
    private string _lastCounters = "";

    public EngineTranscript(EngineHarness harness, string title)
    {
        Harness = harness;
        _text.Append("# ").Append(title).Append('\n');
        EngineOptions o = harness.Options;
        _text.Append("options: clean=").Append(o.CleanSession).Append(" keepalive=").Append(o.KeepAliveMs)
            .Append(" response=").Append(o.ResponseTimeMs).Append(" backoff=").Append(o.BackoffInitialMs).Append("..").Append(o.BackoffMaximumMs)
            .Append(" inflight=").Append(o.MaxInflight).Append(" republishes=").Append(o.MaxRepublishes)
            .Append(" queue=").Append(o.MaxQueuedMessages).Append('/').Append(o.MaxQueuedBytes).Append(' ').Append(o.OutboundOverflow)
            .Append(" receive=").Append(o.ReceiveQueueLength).Append(' ').Append(o.ReceiveOverflow)
            .Append(" stable=").Append(o.StableLinkMs).Append(" first-connect=").Append(o.FirstConnectAttempts).Append('/').Append(o.FirstConnectTimeoutMs)
            .Append(" max-outbound=").Append(o.MaxOutboundPacketSize)
            .Append('\n');
    }

    public EngineHarness Harness { get; }

    public SessionEngine Engine => Harness.Engine;

    /// <summary>A caller object that the transcript shows by <paramref name="name"/>.</summary>
    public object Caller(string name)
    {
        object caller = new();
        _names[caller] = name;
        return caller;
    }

    /// <summary>Runs <paramref name="step"/>, then writes what it caused. An exception the engine throws is written too.</summary>
    public void Step(string label, Action step)
    {
        long started = Harness.Now;
        int heading = _text.Length;
        try
        {
            step();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            Harness.Drain();
            _text.Append("  ! ").Append(ex.GetType().Name).Append(": ").Append(ex.Message).Append('\n');
        }

        // The step's time span, written once it is known: "@start" or "@start..end" when the step moved the clock.
        _text.Insert(heading, "\n@" + started + (Harness.Now != started ? ".." + Harness.Now : "") + " " + label + "\n");
        WriteSince();
    }

    public override string ToString() => _text.ToString();

    private void WriteSince()
    {
        for (; _actionMark < Harness.Actions.Count; _actionMark++)
        {
            _text.Append("  > ").Append(Describe(Harness.Actions[_actionMark])).Append('\n');
        }

        for (; _eventMark < Harness.Events.Count; _eventMark++)
        {
            _text.Append("  * ").Append(Describe(Harness.Events[_eventMark])).Append('\n');
        }

        SessionEngine e = Engine;
        _text.Append("  = ").Append(e.State).Append(" link=").Append(e.Link).Append(" keepalive=").Append(e.KeepAliveState)
            .Append(" timeout=").Append(e.PollTimeout() == SessionEngine.Never ? "never" : e.PollTimeout().ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Append(" held=").Append(e.HeldCount).Append('/').Append(e.HeldBytes).Append("B inflight=").Append(e.InFlightCount)
            .Append(" undelivered=").Append(e.UndeliveredCount).Append(" read=").Append(e.WantsToRead)
            .Append(" attempts=").Append(e.ConnectAttempts).Append(" since=").Append(e.ConnectStartedAt);
        if (e.LastAttemptReason.Length > 0)
        {
            _text.Append(" last=\"").Append(e.LastAttemptReason).Append('"');
        }

        InboundMessage? next = e.PeekMessage();
        if (next != null || e.HasMessage)
        {
            _text.Append(" next=").Append(next?.Topic).Append(e.HasMessage ? "" : " (but HasMessage is false)");
        }

        if (e.Now != Harness.Now)
        {
            _text.Append(" engine-time=").Append(e.Now);
        }

        Subscription[] subscriptions = e.SnapshotSubscriptions();
        if (subscriptions.Length > 0)
        {
            _text.Append(" subscriptions=").Append(string.Join(",", subscriptions.Select(s => $"{s.Filter}:{s.RequestedQos}/{s.GrantedQos}")));
        }

        _text.Append('\n');
        string counters = Counters(e.Statistics);
        if (counters != _lastCounters)
        {
            _text.Append("  # ").Append(counters).Append('\n');
            _lastCounters = counters;
        }
    }

    private string Describe(EngineAction a)
    {
        var s = new StringBuilder().Append(a.Kind).Append(" link=").Append(a.Link);
        if (a.Kind != ActionKind.Send)
        {
            return s.ToString();
        }

        s.Append(' ').Append(a.Packet);
        if (a.PacketId != 0)
        {
            s.Append(" id=").Append(a.PacketId);
        }

        if (a.Message != null)
        {
            s.Append(" message=").Append(a.Message.Topic).Append(" qos=").Append(a.Message.Qos).Append(" id=").Append(a.Message.PacketId)
                .Append(" sends=").Append(a.Message.Sends).Append(" caller=").Append(Name(a.Message.Caller));
        }

        if (a.Dup)
        {
            s.Append(" dup");
        }

        if (a.Request != null)
        {
            s.Append(" filters=").Append(string.Join(",", a.Request.Filters)).Append(" qos=").Append(string.Join(",", a.Request.Qos ?? []))
                .Append(a.Request.IsRestore ? " restore" : "");
        }

        if (a.Packet == PacketKind.Connect)
        {
            s.Append(" clean=").Append(a.CleanSession);
        }

        if (a.NotifyWritten)
        {
            s.Append(" notify");
        }

        return s.ToString();
    }

    private string Describe(EngineEvent e)
    {
        var s = new StringBuilder().Append(e.Kind);
        if (e.Caller != null)
        {
            s.Append(" caller=").Append(Name(e.Caller));
        }

        s.Append(" reason=\"").Append(e.Reason).Append("\" code=").Append(e.ReturnCode);
        if (e.Failure != FailureKind.None)
        {
            s.Append(" failure=").Append(e.Failure);
        }

        if (e.SessionPresent)
        {
            s.Append(" session-present");
        }

        if (e.Granted != 0)
        {
            s.Append(" granted=").Append(e.Granted);
        }

        if (e.Filter != null)
        {
            s.Append(" filter=").Append(e.Filter);
        }

        if (e.SocketError != 0)
        {
            s.Append(" socket=").Append(e.SocketError);
        }

        if (e.Kind is EventKind.LinkDown or EventKind.ConnectAttemptFailed)
        {
            s.Append(" retry=").Append(e.WillRetry).Append(" delay=").Append(e.DelayMs).Append(" attempt=").Append(e.Attempt);
        }

        return s.ToString();
    }

    private string Name(object caller) => _names.TryGetValue(caller, out string? name) ? name : "(unnamed)";

    private static string Counters(EngineStatistics s) =>
        $"accepted={s.Accepted} acknowledged={s.Acknowledged} written={s.Written} resent={s.Resent} received={s.Received} " +
        $"dropped-received={s.DroppedReceived} dropped-oversized={s.DroppedOversized} dropped-outbound={s.DroppedOutbound} connects={s.Connects} links-lost={s.LinksLost} " +
        $"attempts-failed={s.ConnectAttemptsFailed} sends-refused={s.SendsRefused} ignored={s.PacketsIgnored}";
}
