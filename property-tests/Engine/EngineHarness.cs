using StateMachineMqtt.Engine;
using StateMachineMqtt.Machines;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Engine;

/// <summary>
/// Drives a <see cref="SessionEngine"/> by hand, as a driver would but with no I/O: virtual milliseconds, the Stateless
/// machines core/ uses, a seeded random source. After each step it drains the engine's actions and events into lists a
/// test reads, and plays the link (opens succeed, writes complete) only when the test says so.
/// </summary>
internal sealed class EngineHarness
{
    private readonly Random _random;

    /// <param name="configure">Changes to the default options.</param>
    /// <param name="seed">The backoff jitter's seed.</param>
    /// <param name="machines">Wraps the Stateless machines (to make one misbehave on purpose).</param>
    /// <param name="tables">The tables the Stateless machines are built from (a mutated copy, to prove a check can fail); spec/'s by default.</param>
    public EngineHarness(Action<EngineOptions>? configure = null, int seed = 1, Func<IMachineFactory, IMachineFactory>? machines = null, MachineTables? tables = null)
    {
        Tables = tables ?? MachineTables.Spec;
        Options = new EngineOptions { CleanSession = true, KeepAliveMs = 8_000, ResponseTimeMs = 2_000, BackoffInitialMs = 500, BackoffMaximumMs = 4_000 };
        configure?.Invoke(Options);
        _random = new Random(seed);
        IMachineFactory stateless = new StatelessMachines(tables, observer: t =>
        {
            Transitions.Add(t);
            TransitionTimes.Add(Now);
        });
        Engine = new SessionEngine(Options, machines is null ? stateless : machines(stateless), new SeededRandom(_random));
    }

    public EngineOptions Options { get; }

    /// <summary>The tables the machines run: spec/'s, or the mutated copy given.</summary>
    public MachineTables Tables { get; }

    public SessionEngine Engine { get; }

    public long Now { get; private set; }

    public List<EngineAction> Actions { get; } = [];

    public List<EngineEvent> Events { get; } = [];

    public List<TakenTransition> Transitions { get; } = [];

    /// <summary>The virtual time each of <see cref="Transitions"/> was taken at.</summary>
    public List<long> TransitionTimes { get; } = [];

    /// <summary>The packets sent so far, in order.</summary>
    public IEnumerable<EngineAction> Sent => Actions.Where(a => a.Kind == ActionKind.Send);

    public IEnumerable<PacketKind> SentKinds => Sent.Select(a => a.Packet);

    /// <summary>Runs <paramref name="step"/> at the current time, then drains what the engine wants done.</summary>
    public void Do(Action<SessionEngine, long> step)
    {
        step(Engine, Now);
        Drain();
    }

    public void Drain()
    {
        while (Engine.PollAction(out EngineAction action))
        {
            Actions.Add(action);
        }

        while (Engine.PollEvent(out EngineEvent e))
        {
            Events.Add(e);
        }
    }

    /// <summary>
    /// Moves virtual time forward, firing every deadline reached on the way, in order. A deadline the engine keeps
    /// reporting as due after handling it would make a driver spin: that fails the test instead of hanging it.
    /// </summary>
    public void Advance(long milliseconds)
    {
        long until = Now + milliseconds;
        int atSameInstant = 0;
        while (Engine.PollTimeout() <= until)
        {
            long due = Math.Max(Now, Engine.PollTimeout());
            atSameInstant = due == Now ? atSameInstant + 1 : 0;
            if (atSameInstant > 100)
            {
                throw new InvalidOperationException($"The engine's deadline {Engine.PollTimeout()} stays due at {Now} after HandleTimeout: a driver would spin. {Describe()}");
            }

            Now = due;
            Do((e, now) => e.HandleTimeout(now));
        }

        Now = until;
    }

    /// <summary>Moves virtual time to <paramref name="instant"/> (no earlier than now), firing deadlines on the way.</summary>
    public void AdvanceTo(long instant) => Advance(Math.Max(0, instant - Now));

    /// <summary>A position in <see cref="Actions"/>, to read what was done after it.</summary>
    public int Mark() => Actions.Count;

    /// <summary>A position in <see cref="Events"/>.</summary>
    public int EventMark() => Events.Count;

    /// <summary>The packets sent after <paramref name="mark"/>.</summary>
    public List<EngineAction> SentSince(int mark) => Actions.Skip(mark).Where(a => a.Kind == ActionKind.Send).ToList();

    /// <summary>The kinds of the packets sent after <paramref name="mark"/>.</summary>
    public List<PacketKind> SentKindsSince(int mark) => SentSince(mark).Select(a => a.Packet).ToList();

    /// <summary>The events after <paramref name="mark"/>.</summary>
    public List<EngineEvent> EventsSince(int mark) => Events.Skip(mark).ToList();

    /// <summary>The PUBLISH actions sent so far for <paramref name="message"/>.</summary>
    public List<EngineAction> SendsOf(OutboundMessage message) =>
        Sent.Where(a => a.Packet == PacketKind.Publish && ReferenceEquals(a.Message, message)).ToList();

    /// <summary>The link opened last succeeds.</summary>
    public void Open() => Do((e, now) => e.HandleLinkOpened(LastOpened, now));

    /// <summary>A CONNACK on the current link.</summary>
    public void ConnAck(bool sessionPresent = false, int returnCode = 0) =>
        Do((e, now) => e.HandleConnAck(e.Link, sessionPresent, returnCode, now));

    /// <summary>The current link fails with <paramref name="code"/>.</summary>
    public void LinkError(SocketErrorCode code = SocketErrorCode.ConnectionReset) =>
        Do((e, now) => e.HandleLinkError(e.Link, (int)code, code.ToString(), now));

    /// <summary>Waits out the backoff (at most its maximum), opens the new link and answers CONNACK.</summary>
    public void Reconnect(bool sessionPresent = false)
    {
        Assert.Equal(ConnectionState.Backoff, Engine.State);
        Advance(Engine.PollTimeout() - Now);
        Assert.Equal(ConnectionState.Connecting, Engine.State);
        Open();
        ConnAck(sessionPresent);
        Assert.Equal(ConnectionState.Connected, Engine.State);
    }

    /// <summary>Loses the link and reconnects.</summary>
    public void LoseAndReconnect(bool sessionPresent = false)
    {
        LinkError();
        Reconnect(sessionPresent);
    }

    /// <summary>A PUBLISH from the broker on the current link.</summary>
    public void Receive(string topic, int qos, int packetId = 0, bool dup = false, byte[]? payload = null) =>
        Do((e, now) => e.HandlePublish(e.Link, topic, payload ?? [2], qos, false, dup, packetId, now));

    /// <summary>A PUBLISH over the driver's maximum packet size (<paramref name="limit"/>) from the broker, read past, on the current link.</summary>
    public void ReceiveOversized(string topic, int qos, int packetId = 0, bool dup = false, int size = 5_000, int limit = 1_024) =>
        Do((e, now) => e.HandleOversizedPublish(e.Link, topic, qos, dup, packetId, size, limit, now));

    /// <summary>The application takes the oldest received message.</summary>
    public InboundMessage? Take()
    {
        InboundMessage? message = null;
        Do((e, now) => message = e.TakeMessage(now));
        return message;
    }

    /// <summary>Queues a SUBSCRIBE for one filter.</summary>
    public SubscriptionRequest Subscribe(string filter, int qos = 1, object? caller = null)
    {
        var request = SubscriptionRequest.Subscribe([filter], [qos], caller ?? new object());
        Do((e, now) => e.Request(request, now));
        return request;
    }

    /// <summary>Queues an UNSUBSCRIBE for one filter.</summary>
    public SubscriptionRequest Unsubscribe(string filter, object? caller = null)
    {
        var request = SubscriptionRequest.Unsubscribe([filter], caller ?? new object());
        Do((e, now) => e.Request(request, now));
        return request;
    }

    /// <summary>The last SUBSCRIBE or UNSUBSCRIBE sent.</summary>
    public EngineAction LastRequestSent => Sent.Last(a => a.Packet is PacketKind.Subscribe or PacketKind.Unsubscribe);

    /// <summary>Offers a message and returns the verdict (no assertion).</summary>
    public AdmitVerdict Offer(OutboundMessage message)
    {
        AdmitVerdict verdict = default;
        Do((e, now) => verdict = e.Publish(message, now));
        return verdict;
    }

    /// <summary>The events of the kinds that end a call, for <paramref name="caller"/>.</summary>
    public List<EngineEvent> TerminalEventsFor(object caller) => EventsFor(caller).Where(e => IsTerminal(e.Kind)).ToList();

    /// <summary>True for the events that end a call: each caller hears at most one.</summary>
    public static bool IsTerminal(EventKind kind) => kind is EventKind.ConnectCompleted or EventKind.ConnectFailed
        or EventKind.PublishCompleted or EventKind.PublishCancelled or EventKind.PublishFailed
        or EventKind.RequestCompleted or EventKind.RequestFailed or EventKind.RequestCancelled or EventKind.DisconnectCompleted
        or EventKind.DrainCompleted or EventKind.ReauthenticationCompleted or EventKind.ReauthenticationFailed;

    /// <summary>The number of the last link the engine asked to open.</summary>
    public int LastOpened => Actions.Last(a => a.Kind == ActionKind.OpenLink).Link;

    /// <summary>Connect, open the link, answer CONNACK: the engine ends Connected.</summary>
    public object Connect(bool sessionPresent = false)
    {
        object caller = new();
        Do((e, now) => e.Connect(caller, now));
        Do((e, now) => e.HandleLinkOpened(LastOpened, now));
        Do((e, now) => e.HandleConnAck(e.Link, sessionPresent, 0, now));
        return caller;
    }

    /// <summary>Completes the writes of every sent action that asked to be told.</summary>
    public void CompleteWrites()
    {
        foreach (EngineAction action in Actions.Where(a => a.NotifyWritten).ToList())
        {
            Do((e, now) => e.HandleWritten(action, now));
        }
    }

    public OutboundMessage Publish(string topic, int qos, byte[]? payload = null, object? caller = null)
    {
        var message = new OutboundMessage(topic, payload ?? [1], qos, retain: false, caller ?? new object());
        Do((e, now) => Assert.Equal(AdmitVerdict.Accept, e.Publish(message, now)));
        return message;
    }

    public IEnumerable<EngineEvent> EventsFor(object caller) => Events.Where(e => ReferenceEquals(e.Caller, caller));

    public string Describe() =>
        $"state {Engine.State}; sent {string.Join(", ", SentKinds)}; events {string.Join(", ", Events.Select(e => e.Kind))}; transitions {string.Join(" | ", Transitions.Select(t => $"{t.Machine}:{t.From}-{t.Trigger}->{t.To}"))}";

    private sealed class SeededRandom(Random random) : IRandomSource
    {
        public int Next(int exclusiveMaximum) => random.Next(exclusiveMaximum);
    }
}
