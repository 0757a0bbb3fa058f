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

    public EngineHarness(Action<EngineOptions>? configure = null, int seed = 1)
    {
        Options = new EngineOptions { CleanSession = true, KeepAliveMs = 8_000, ResponseTimeMs = 2_000, BackoffInitialMs = 500, BackoffMaximumMs = 4_000 };
        configure?.Invoke(Options);
        _random = new Random(seed);
        Engine = new SessionEngine(Options, new StatelessMachines(observer: t => Transitions.Add(t)), new SeededRandom(_random));
    }

    public EngineOptions Options { get; }

    public SessionEngine Engine { get; }

    public long Now { get; private set; }

    public List<EngineAction> Actions { get; } = [];

    public List<EngineEvent> Events { get; } = [];

    public List<TakenTransition> Transitions { get; } = [];

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

    /// <summary>Moves virtual time forward, firing every deadline reached on the way, in order.</summary>
    public void Advance(long milliseconds)
    {
        long until = Now + milliseconds;
        while (Engine.PollTimeout() <= until)
        {
            Now = Math.Max(Now, Engine.PollTimeout());
            Do((e, now) => e.HandleTimeout(now));
        }

        Now = until;
    }

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
