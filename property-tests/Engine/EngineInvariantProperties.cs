using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using StateMachineMqtt.Engine;
using StateMachineMqtt.PropertyTests.Fixtures.Seeds;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Engine;

/// <summary>
/// Random interleavings of application commands, link events, broker packets and time, run on the engine through the
/// harness, with the invariants (I1–I4, one ending per caller, no exception, nothing sent where the send rules forbid it)
/// checked after every step. SMQTT_ENGINE_SCHEDULES raises the count for soak runs (default 300).
/// </summary>
public sealed class EngineInvariantProperties
{
    private static int Count =>
        int.TryParse(Environment.GetEnvironmentVariable("SMQTT_ENGINE_SCHEDULES"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 300;

    [Fact]
    public void Every_invariant_holds_after_every_step_of_random_interleavings()
    {
        Property property = Prop.ForAll(EngineSchedules.Arbitrary(), schedule =>
        {
            string? failure = EngineScheduleRunner.Run(schedule);
            return (failure is null).Label(failure ?? "");
        });
        TestSeeds.Check(property, Count);
    }

    [Fact]
    public void The_runner_catches_a_broken_invariant()
    {
        // The checks must be able to fail: a PUBACK the broker never sent, forged by calling the engine behind the
        // runner's back, is fine; but a caller told twice is not, and the runner must say so.
        var schedule = new EngineSchedule(new ScheduleOptions(true, 2, 4, 0, 2, 0, 1, 8_000, 2_000), [
            new EngineStep(StepKind.Connect), new EngineStep(StepKind.Open), new EngineStep(StepKind.ConnAck),
            new EngineStep(StepKind.Publish, 1), new EngineStep(StepKind.CheatTwoEndings)]);
        string? failure = EngineScheduleRunner.Run(schedule);
        Assert.NotNull(failure);
        Assert.Contains("terminal events", failure, StringComparison.Ordinal);
    }
}

/// <summary>What one step of a generated schedule does.</summary>
internal enum StepKind
{
    Connect,
    Disconnect,
    Dispose,
    Publish,
    CancelPublish,
    Subscribe,
    Unsubscribe,
    CancelRequest,
    CancelConnect,
    Take,
    Open,
    OpenStale,
    Pending,
    LinkError,
    LinkClosed,
    Malformed,
    StaleLinkPacket,
    ConnAck,
    PubAck,
    InboundPublish,
    PubRel,
    SubAck,
    UnsubAck,
    PingResp,
    Written,
    Advance,

    /// <summary>Test of the runner only: an event the engine never emitted, to prove the checks can fail.</summary>
    CheatTwoEndings,
}

/// <summary>One step: a kind and up to three small numbers whose meaning depends on it.</summary>
internal sealed record EngineStep(StepKind Kind, int A = 0, int B = 0, int C = 0)
{
    public override string ToString() => Kind switch
    {
        StepKind.Publish => $"Publish(qos {A})",
        StepKind.CancelPublish or StepKind.CancelRequest => $"{Kind}(#{A})",
        StepKind.Subscribe => $"Subscribe({EngineScheduleRunner.Filters[A]}, qos {B})",
        StepKind.Unsubscribe => $"Unsubscribe({EngineScheduleRunner.Filters[A]})",
        StepKind.LinkError => $"LinkError({(SocketErrorCode)A})",
        StepKind.ConnAck => $"ConnAck(present {A == 1}, code {B})",
        StepKind.PubAck => A >= 0 ? $"PubAck(held #{A})" : $"PubAck(id {-A})",
        StepKind.InboundPublish => $"InboundPublish(qos {A}, id {B}, dup {C == 1})",
        StepKind.PubRel => $"PubRel(id {A})",
        StepKind.SubAck => $"SubAck(pending #{A}, {(B == 1 ? "wrong count" : "codes")}, code {C})",
        StepKind.UnsubAck => $"UnsubAck(pending #{A})",
        StepKind.Written => $"Written({(A == 0 ? "oldest" : "all")})",
        StepKind.Advance => $"Advance({A} ms)",
        _ => Kind.ToString(),
    };
}

/// <summary>The engine's options for one schedule.</summary>
internal sealed record ScheduleOptions(
    bool CleanSession, int MaxInflight, int MaxQueued, int OutboundPolicy, int ReceiveQueueLength, int ReceivePolicy,
    int MaxRepublishes, long KeepAliveMs, long ResponseTimeMs)
{
    public void Apply(EngineOptions o)
    {
        o.CleanSession = CleanSession;
        o.MaxInflight = MaxInflight;
        o.MaxQueuedMessages = MaxQueued;
        o.OutboundOverflow = (OutboundOverflowPolicy)OutboundPolicy;
        o.ReceiveQueueLength = ReceiveQueueLength;
        o.ReceiveOverflow = (ReceiveOverflowPolicy)ReceivePolicy;
        o.MaxRepublishes = MaxRepublishes;
        o.KeepAliveMs = KeepAliveMs;
        o.ResponseTimeMs = ResponseTimeMs;
    }
}

/// <summary>A generated schedule: options and steps.</summary>
internal sealed record EngineSchedule(ScheduleOptions Options, EngineStep[] Steps)
{
    public override string ToString() =>
        $"{Options}{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", Steps.Select((s, i) => $"{i}: {s}"))}";
}

/// <summary>FsCheck generators of engine schedules, and a shrinker that drops steps.</summary>
internal static class EngineSchedules
{
    private static readonly int[] SocketErrors =
    [
        (int)SocketErrorCode.ConnectionReset, (int)SocketErrorCode.ConnectionAborted, (int)SocketErrorCode.TimedOut,
        (int)SocketErrorCode.ConnectionRefused, (int)SocketErrorCode.NetworkUnreachable, (int)SocketErrorCode.HostNotFound,
        (int)SocketErrorCode.AccessDenied, (int)SocketErrorCode.InProgress, (int)SocketErrorCode.WouldBlock,
        (int)SocketErrorCode.Interrupted, (int)SocketErrorCode.Shutdown, (int)SocketErrorCode.SocketError, 12345,
    ];

    private static Gen<EngineStep> Step() => Gen.Frequency(
        (4, Gen.Constant(new EngineStep(StepKind.Connect))),
        (1, Gen.Constant(new EngineStep(StepKind.Disconnect))),
        (1, Gen.Frequency((9, Gen.Constant(new EngineStep(StepKind.Advance, 1))), (1, Gen.Constant(new EngineStep(StepKind.Dispose))))),
        (10, Gen.Elements(0, 1, 1).Select(q => new EngineStep(StepKind.Publish, q))),
        (2, Gen.Choose(0, 20).Select(i => new EngineStep(StepKind.CancelPublish, i))),
        (2, from f in Gen.Choose(0, EngineScheduleRunner.Filters.Length - 1) from q in Gen.Choose(0, 2) select new EngineStep(StepKind.Subscribe, f, q)),
        (1, Gen.Choose(0, EngineScheduleRunner.Filters.Length - 1).Select(f => new EngineStep(StepKind.Unsubscribe, f))),
        (1, Gen.Choose(0, 10).Select(i => new EngineStep(StepKind.CancelRequest, i))),
        (1, Gen.Constant(new EngineStep(StepKind.CancelConnect))),
        (5, Gen.Constant(new EngineStep(StepKind.Take))),
        (8, Gen.Constant(new EngineStep(StepKind.Open))),
        (1, Gen.Constant(new EngineStep(StepKind.OpenStale))),
        (1, Gen.Constant(new EngineStep(StepKind.Pending))),
        (3, Gen.Elements(SocketErrors).Select(c => new EngineStep(StepKind.LinkError, c))),
        (1, Gen.Constant(new EngineStep(StepKind.LinkClosed))),
        (1, Gen.Constant(new EngineStep(StepKind.Malformed))),
        (1, Gen.Constant(new EngineStep(StepKind.StaleLinkPacket))),
        (8, from present in Gen.Choose(0, 1) from code in Gen.Elements(0, 0, 0, 0, 1, 3, 3, 5) select new EngineStep(StepKind.ConnAck, present, code)),
        (8, Gen.Frequency((5, Gen.Choose(0, 10)), (1, Gen.Choose(-8, -1))).Select(i => new EngineStep(StepKind.PubAck, i))),
        (6, from q in Gen.Elements(0, 1, 2, 2) from id in Gen.Choose(1, 4) from dup in Gen.Choose(0, 1) select new EngineStep(StepKind.InboundPublish, q, q == 0 ? 0 : id, dup)),
        (2, Gen.Choose(1, 4).Select(id => new EngineStep(StepKind.PubRel, id))),
        (4, from i in Gen.Frequency((5, Gen.Choose(0, 5)), (1, Gen.Choose(-8, -1))) from wrong in Gen.Frequency((8, Gen.Constant(0)), (1, Gen.Constant(1))) from code in Gen.Elements(0, 1, 2, 0x80) select new EngineStep(StepKind.SubAck, i, wrong, code)),
        (2, Gen.Frequency((5, Gen.Choose(0, 5)), (1, Gen.Choose(-8, -1))).Select(i => new EngineStep(StepKind.UnsubAck, i))),
        (2, Gen.Constant(new EngineStep(StepKind.PingResp))),
        (5, Gen.Choose(0, 1).Select(all => new EngineStep(StepKind.Written, all))),
        (8, Gen.Frequency((4, Gen.Choose(1, 400)), (3, Gen.Choose(400, 3_000)), (1, Gen.Choose(3_000, 20_000))).Select(ms => new EngineStep(StepKind.Advance, ms))));

    private static Gen<ScheduleOptions> Options() =>
        from clean in Gen.Elements(true, false)
        from inflight in Gen.Choose(1, 3)
        from queued in Gen.Choose(2, 6)
        from outbound in Gen.Choose(0, 2)
        from receiveLength in Gen.Choose(1, 3)
        from receive in Gen.Choose(0, 1)
        from republishes in Gen.Choose(0, 2)
        from keepAlive in Gen.Elements(0L, 4_000L, 8_000L)
        from response in Gen.Elements(1_000L, 2_000L, 3_000L)
        select new ScheduleOptions(clean, inflight, queued, outbound, receiveLength, receive, republishes, keepAlive, response);

    /// <summary>Schedules of 1–60 steps.</summary>
    public static Arbitrary<EngineSchedule> Arbitrary() =>
        Arb.From(
            from options in Options()
            from count in Gen.Choose(1, 60)
            from steps in Gen.ArrayOf(Step(), count)
            select new EngineSchedule(options, steps),
            Shrink);

    private static IEnumerable<EngineSchedule> Shrink(EngineSchedule schedule)
    {
        EngineStep[] steps = schedule.Steps;
        for (int i = 0; i < steps.Length; i++)
        {
            yield return schedule with { Steps = [.. steps[..i], .. steps[(i + 1)..]] };
        }
    }
}

/// <summary>Runs one schedule on the harness, as a driver would (it reads only while the engine wants to), checking after every step.</summary>
internal sealed class EngineScheduleRunner
{
    public static readonly string[] Filters = ["a", "b/+", "c/#"];

    private readonly EngineSchedule _schedule;
    private readonly EngineHarness _h;
    private readonly List<OutboundMessage> _accepted = [];
    private readonly Dictionary<OutboundMessage, int> _acceptedAt = new(ReferenceEqualityComparer.Instance);
    private readonly List<SubscriptionRequest> _requests = [];
    private readonly HashSet<object> _callers = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<object, int> _endings = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<OutboundMessage, int> _sends = new(ReferenceEqualityComparer.Instance);
    private readonly Queue<EngineAction> _pendingWrites = new();
    private readonly HashSet<int> _opened = [];
    private readonly HashSet<int> _accepted1 = [];
    private readonly HashSet<int> _closed = [];
    private readonly HashSet<int> _disconnectSent = [];
    private readonly HashSet<int> _connectSent = [];
    private object? _connectCaller;
    private int _actionsSeen;
    private int _eventsSeen;
    private int _lastFirstSend = -1;

    private EngineScheduleRunner(EngineSchedule schedule)
    {
        _schedule = schedule;
        _h = new EngineHarness(schedule.Options.Apply);
    }

    /// <summary>Runs <paramref name="schedule"/>; null when every invariant held, else what broke, where, and the trace.</summary>
    public static string? Run(EngineSchedule schedule) => new EngineScheduleRunner(schedule).Run();

    private string? Run()
    {
        for (int i = 0; i < _schedule.Steps.Length; i++)
        {
            EngineStep step = _schedule.Steps[i];
            string? failure;
            try
            {
                Apply(step);
                failure = Check(step);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failure = $"{e.GetType().Name} escaped: {e.Message}{Environment.NewLine}{e.StackTrace}";
            }

            if (failure is not null)
            {
                return $"Step {i} ({step}) in state {_h.Engine.State}: {failure}{Environment.NewLine}Schedule: {_schedule}{Environment.NewLine}Trace: {Trace()}";
            }
        }

        return null;
    }

    private string Trace()
    {
        var s = new StringBuilder();
        s.Append(string.Join(", ", _h.Actions.Select(a => a.Kind == ActionKind.Send ? $"{a.Packet}@{a.Link}{(a.Dup ? "+dup" : "")}" : $"{a.Kind}@{a.Link}")));
        s.Append(" | events ").Append(string.Join(", ", _h.Events.Select(e => e.Kind)));
        return s.ToString();
    }

    private bool Disposed => _h.Engine.State == ConnectionState.Disposed;

    private OutboundMessage[] HeldWithIds() => _h.Engine.SnapshotHeld().Where(m => m.PacketId != 0).ToArray();

    private SubscriptionRequest[] PendingRequests() => _requests.Where(r => r.PacketId != 0).ToArray();

    private void Apply(EngineStep step)
    {
        SessionEngine engine = _h.Engine;
        switch (step.Kind)
        {
            case StepKind.Connect when !Disposed:
                _connectCaller = NewCaller();
                _h.Do((e, now) => e.Connect(_connectCaller, now));
                break;
            case StepKind.Disconnect when !Disposed:
                _h.Do((e, now) => e.Disconnect(NewCaller(), now));
                break;
            case StepKind.Dispose:
                _h.Do((e, now) => e.Dispose(now));
                break;
            case StepKind.Publish when !Disposed:
                var message = new OutboundMessage("t", [(byte)_accepted.Count], step.A, false, NewCaller());
                if (_h.Offer(message) == AdmitVerdict.Accept)
                {
                    _acceptedAt[message] = _accepted.Count;
                    _accepted.Add(message);
                }

                break;
            case StepKind.CancelPublish when _accepted.Count > 0:
                OutboundMessage cancelled = _accepted[step.A % _accepted.Count];
                _h.Do((e, now) => e.CancelPublish(cancelled, now));
                break;
            case StepKind.Subscribe when !Disposed:
                _requests.Add(SubscriptionRequest.Subscribe([Filters[step.A]], [step.B], NewCaller()));
                _h.Do((e, now) => e.Request(_requests[^1], now));
                break;
            case StepKind.Unsubscribe when !Disposed:
                _requests.Add(SubscriptionRequest.Unsubscribe([Filters[step.A]], NewCaller()));
                _h.Do((e, now) => e.Request(_requests[^1], now));
                break;
            case StepKind.CancelRequest when _requests.Count > 0:
                SubscriptionRequest request = _requests[step.A % _requests.Count];
                _h.Do((e, now) => e.CancelRequest(request, now));
                break;
            case StepKind.CancelConnect when _connectCaller is not null:
                _h.Do((e, now) => e.CancelConnect(_connectCaller, now));
                break;
            case StepKind.Take:
                _h.Take();
                break;
            case StepKind.Open when _h.Actions.Any(a => a.Kind == ActionKind.OpenLink):
                int link = _h.LastOpened;
                _h.Open();
                if (engine.State == ConnectionState.AwaitingConnAck && engine.Link == link)
                {
                    _opened.Add(link);
                }

                break;
            case StepKind.OpenStale when engine.Link > 1:
                _h.Do((e, now) => e.HandleLinkOpened(e.Link - 1, now));
                break;
            case StepKind.Pending:
                _h.Do((e, now) => e.HandleLinkPending(e.Link, now));
                break;
            case StepKind.LinkError:
                _h.Do((e, now) => e.HandleLinkError(e.Link, step.A, "error " + step.A.ToString(CultureInfo.InvariantCulture), now));
                break;
            case StepKind.LinkClosed:
                _h.Do((e, now) => e.HandleLinkClosed(e.Link, "end of stream", now));
                break;
            case StepKind.Written:
                int writes = step.A == 0 ? Math.Min(1, _pendingWrites.Count) : _pendingWrites.Count;
                for (int i = 0; i < writes; i++)
                {
                    EngineAction written = _pendingWrites.Dequeue();
                    _h.Do((e, now) => e.HandleWritten(written, now));
                }

                break;
            case StepKind.Advance:
                _h.Advance(step.A);
                break;
            case StepKind.CheatTwoEndings:
                object caller = _accepted[0].Caller;
                _h.Events.Add(new EngineEvent { Kind = EventKind.PublishFailed, Caller = caller });
                _h.Events.Add(new EngineEvent { Kind = EventKind.PublishFailed, Caller = caller });
                break;
            default:
                // Packets from the broker: a driver reads only while the engine wants it to.
                if (engine.WantsToRead)
                {
                    Receive(step);
                }

                break;
        }
    }

    private void Receive(EngineStep step)
    {
        SessionEngine engine = _h.Engine;
        switch (step.Kind)
        {
            case StepKind.Malformed:
                _h.Do((e, now) => e.HandleMalformed(e.Link, "malformed", now));
                break;
            case StepKind.StaleLinkPacket when engine.Link > 1:
                _h.Do((e, now) => e.HandlePubAck(e.Link - 1, 1, now));
                _h.Do((e, now) => e.HandlePublish(e.Link - 1, "stale", [0], 1, false, false, 1, now));
                break;
            case StepKind.ConnAck:
                bool awaiting = engine.State == ConnectionState.AwaitingConnAck;
                int link = engine.Link;
                _h.Do((e, now) => e.HandleConnAck(e.Link, step.A == 1, step.B, now));
                if (awaiting && engine.State == ConnectionState.Connected)
                {
                    _accepted1.Add(link);
                }

                break;
            case StepKind.PubAck:
                OutboundMessage[] held = HeldWithIds();
                int id = step.A >= 0 && held.Length > 0 ? held[step.A % held.Length].PacketId : Math.Abs(step.A) + 1;
                _h.Do((e, now) => e.HandlePubAck(e.Link, id, now));
                break;
            case StepKind.InboundPublish:
                _h.Do((e, now) => e.HandlePublish(e.Link, "in", [9], step.A, false, step.C == 1, step.B, now));
                break;
            case StepKind.PubRel:
                _h.Do((e, now) => e.HandlePubRel(e.Link, step.A, now));
                break;
            case StepKind.SubAck:
                SubscriptionRequest[] pending = PendingRequests();
                SubscriptionRequest? request = step.A >= 0 && pending.Length > 0 ? pending[step.A % pending.Length] : null;
                int subId = request?.PacketId ?? Math.Abs(step.A) + 1;
                int count = (request?.Filters.Length ?? 1) + step.B;
                byte[] codes = Enumerable.Repeat((byte)step.C, count).ToArray();
                _h.Do((e, now) => e.HandleSubAck(e.Link, subId, codes, now));
                break;
            case StepKind.UnsubAck:
                SubscriptionRequest[] open = PendingRequests();
                int unsubId = step.A >= 0 && open.Length > 0 ? open[step.A % open.Length].PacketId : Math.Abs(step.A) + 1;
                _h.Do((e, now) => e.HandleUnsubAck(e.Link, unsubId, now));
                break;
            case StepKind.PingResp:
                _h.Do((e, now) => e.HandlePingResp(e.Link, now));
                break;
        }
    }

    private object NewCaller()
    {
        object caller = new();
        _callers.Add(caller);
        return caller;
    }

    private string? Check(EngineStep step)
    {
        SessionEngine engine = _h.Engine;
        EngineOptions options = _h.Options;
        if (engine.Statistics.SendsRefused != 0)
        {
            return "the send rules refused a packet the engine tried to send (I3)";
        }

        // The actions of this step, in order.
        for (; _actionsSeen < _h.Actions.Count; _actionsSeen++)
        {
            EngineAction a = _h.Actions[_actionsSeen];
            if (a.Kind == ActionKind.CloseLink)
            {
                _closed.Add(a.Link);
                continue;
            }

            if (a.Kind != ActionKind.Send)
            {
                continue;
            }

            if (a.NotifyWritten)
            {
                _pendingWrites.Enqueue(a);
            }

            string? wrong = CheckSend(a);
            if (wrong is not null)
            {
                return $"{a.Packet} on link {a.Link}: {wrong}";
            }
        }

        // Every caller hears at most one ending.
        for (; _eventsSeen < _h.Events.Count; _eventsSeen++)
        {
            EngineEvent e = _h.Events[_eventsSeen];
            if (e.Caller is not null && !_callers.Contains(e.Caller))
            {
                return $"{e.Kind} for a caller the application never gave";
            }

            if (e.Caller is not null && EngineHarness.IsTerminal(e.Kind))
            {
                int endings = _endings[e.Caller] = _endings.GetValueOrDefault(e.Caller) + 1;
                if (endings > 1)
                {
                    return $"a caller heard {endings} terminal events, the last {e.Kind} ({e.Reason})";
                }
            }
        }

        OutboundMessage[] heldNow = engine.SnapshotHeld();
        var held = new HashSet<OutboundMessage>(heldNow, ReferenceEqualityComparer.Instance);
        if (heldNow.Length != engine.HeldCount)
        {
            return $"HeldCount {engine.HeldCount} but {heldNow.Length} held";
        }

        if (engine.HeldCount > options.MaxQueuedMessages)
        {
            return $"{engine.HeldCount} held, over the bound of {options.MaxQueuedMessages} (I10)";
        }

        if (engine.UndeliveredCount > options.ReceiveQueueLength)
        {
            return $"{engine.UndeliveredCount} received messages queued, over the bound of {options.ReceiveQueueLength} although the driver read only when asked (I10)";
        }

        int awaiting = heldNow.Count(m => m.State == PublishState.AwaitingPubAck && m.Qos == 1);
        if (awaiting != engine.InFlightCount || awaiting > options.MaxInflight)
        {
            return $"{awaiting} messages await PUBACK; InFlightCount {engine.InFlightCount}, window {options.MaxInflight}";
        }

        ConnectionState state = engine.State;
        bool linkUp = state is ConnectionState.Connected or ConnectionState.Disconnecting;
        if (!linkUp && awaiting != 0)
        {
            return $"{awaiting} messages await PUBACK in {state}, with no link";
        }

        if ((state == ConnectionState.Connected) != (engine.KeepAliveState != KeepAliveState.Inactive))
        {
            return $"keepalive {engine.KeepAliveState} in {state}";
        }

        // I2: identifiers held by messages and requests are unique and non-zero; a message never sent holds none.
        if (!Disposed)
        {
            var ids = new List<int>();
            foreach (OutboundMessage m in heldNow)
            {
                if (m.Qos == 1 && m.State == PublishState.Queued && m.PacketId != 0)
                {
                    return $"a message never sent holds identifier {m.PacketId}";
                }

                if (m.Qos == 1 && m.State != PublishState.Queued && m.PacketId == 0)
                {
                    return $"a sent message in {m.State} holds no identifier (I2)";
                }

                if (m.PacketId != 0)
                {
                    ids.Add(m.PacketId);
                }
            }

            ids.AddRange(_requests.Where(r => r.PacketId != 0).Select(r => r.PacketId));
            if (ids.Distinct().Count() != ids.Count || ids.Contains(0))
            {
                return $"identifiers in use are not unique: {string.Join(", ", ids)} (I2)";
            }
        }

        // I1: an accepted QoS 1 message is held, or acknowledged, or withdrawn unsent, or failed by Dispose.
        foreach (OutboundMessage m in _accepted)
        {
            int sends = _sends.GetValueOrDefault(m);
            if (m.Qos == 0 && sends > 1)
            {
                return $"a QoS 0 message was sent {sends} times";
            }

            if (held.Contains(m))
            {
                continue;
            }

            bool ended = _endings.ContainsKey(m.Caller);
            if (m.Qos == 0)
            {
                if (!ended)
                {
                    return "a QoS 0 message is gone and its caller never heard";
                }

                continue;
            }

            bool fine = m.State switch
            {
                PublishState.Acked => m.CallerDetached || HasEnding(m.Caller, EventKind.PublishCompleted),
                PublishState.Withdrawn => sends == 0 && HasEnding(m.Caller, EventKind.PublishCancelled),
                _ => Disposed && (m.CallerDetached || HasEnding(m.Caller, EventKind.PublishFailed, FailureKind.Disposed)),
            };
            if (!fine)
            {
                return $"an accepted QoS 1 message (state {m.State}, sent {sends} times, detached {m.CallerDetached}) is gone (I1)";
            }
        }

        return null;
    }

    private bool HasEnding(object caller, EventKind kind, FailureKind? failure = null) =>
        _h.Events.Any(e => ReferenceEquals(e.Caller, caller) && e.Kind == kind && (failure is null || e.Failure == failure));

    private string? CheckSend(EngineAction a)
    {
        int link = a.Link;
        if (!_opened.Contains(link))
        {
            return "sent on a link that was never opened";
        }

        if (_closed.Contains(link))
        {
            return "sent on a link the engine had closed";
        }

        if (_disconnectSent.Contains(link))
        {
            return "sent after DISCONNECT [MQTT-3.14.4-2] (I3)";
        }

        switch (a.Packet)
        {
            case PacketKind.Connect:
                if (!_connectSent.Add(link))
                {
                    return "a second CONNECT on one link (I3)";
                }

                if (_accepted1.Contains(link))
                {
                    return "CONNECT after CONNACK";
                }

                return null;
            case PacketKind.Disconnect:
                _disconnectSent.Add(link);
                return _accepted1.Contains(link) ? null : "DISCONNECT before CONNACK accepted the link";
        }

        if (!_accepted1.Contains(link))
        {
            return "sent before CONNACK accepted the link (I3)";
        }

        switch (a.Packet)
        {
            case PacketKind.Publish:
                OutboundMessage m = a.Message;
                if (m is null || !_acceptedAt.TryGetValue(m, out int index))
                {
                    return "a PUBLISH of a message never accepted";
                }

                int sends = _sends[m] = _sends.GetValueOrDefault(m) + 1;
                if (a.Dup != (sends > 1))
                {
                    return $"send {sends} of a message has DUP = {a.Dup} (I4)";
                }

                if (m.Qos == 1 && m.PacketId == 0)
                {
                    return "a QoS 1 PUBLISH without a packet identifier";
                }

                if (sends == 1)
                {
                    if (index < _lastFirstSend)
                    {
                        return $"message #{index} first sent after #{_lastFirstSend}: not in acceptance order";
                    }

                    _lastFirstSend = index;
                }

                return null;
            case PacketKind.Subscribe:
            case PacketKind.Unsubscribe:
                if (a.Request is null || a.PacketId == 0)
                {
                    return "a request without a packet identifier";
                }

                if (a.Request.IsRestore && !_requests.Contains(a.Request))
                {
                    _requests.Add(a.Request);
                }

                return null;
            case PacketKind.PubAck:
            case PacketKind.PubRec:
            case PacketKind.PubComp:
                return a.PacketId == 0 ? "an acknowledgement without a packet identifier" : null;
            case PacketKind.PingReq:
                return null;
            default:
                return "a packet a client never sends";
        }
    }
}
