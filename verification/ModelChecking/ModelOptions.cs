using StateMachineMqtt.Engine;

namespace StateMachineMqtt.Verification.ModelChecking;

/// <summary>The bounds of the environment model and the engine options it runs with.</summary>
/// <param name="MaxMessages">Most QoS 1 messages the engine holds at once (the application publishes only below it).</param>
/// <param name="Window">MaxInflight: most messages awaiting PUBACK, PUBREC or PUBCOMP at once.</param>
/// <param name="MaxRepublishes">MaxRepublishes: re-sends with DUP on one link before the link is declared dead.</param>
/// <param name="CleanSession">The CleanSession option; false lets the broker keep a session (session present = 1).</param>
/// <param name="SlowLink">
/// A deadline may pass while an answer is still on its way on a healthy link (a link slower than the response time), so
/// a PUBACK can arrive after its PUBLISH was re-sent, and a CONNACK after the CONNECT timed out — as long as at most
/// <see cref="SlowBacklog"/> packets are on their way (the model's links hold no growing backlog). Such a late deadline is
/// a fault: it is left out of the liveness graph, where a healthy link always answers before any deadline.
/// </param>
/// <param name="LossyBroker">The broker may also lose one of its answers (the head of its queue), or send a PUBACK, PUBREC, PUBCOMP or (inbound QoS 2) PUBREL twice.</param>
public sealed record ModelOptions(int MaxMessages = 1, int Window = 1, int MaxRepublishes = 1, bool CleanSession = true, bool SlowLink = false, bool LossyBroker = false)
{
    /// <summary>Most QoS 0 messages the engine holds at once (the application publishes at QoS 0 only below it); 0: none.</summary>
    public int Qos0Messages { get; init; }

    /// <summary>Most QoS 2 messages the engine holds at once (the application publishes at QoS 2 only below it); 0: none.</summary>
    public int Qos2Messages { get; init; }

    /// <summary>
    /// Most QoS 2 messages the broker publishes to the client over the run (inbound, through the Receipt table); 0: none.
    /// The broker's side is MQTT 3.1.1's: it re-sends the PUBLISH with DUP on every reconnect with a present session until
    /// PUBREC, then PUBREL until PUBCOMP, and drops what its session held when it loses the session.
    /// </summary>
    public int InboundQos2Messages { get; init; }

    /// <summary>Most QoS 1 messages the broker publishes to the client over the run (re-sent with DUP until PUBACK); 0: none.</summary>
    public int InboundQos1Messages { get; init; }

    /// <summary>The broker publishes to the client at all (<see cref="InboundQos2Messages"/> or <see cref="InboundQos1Messages"/>).</summary>
    public bool Inbound => InboundQos2Messages + InboundQos1Messages > 0;

    /// <summary>The application may unsubscribe from its one subscription (once), at any moment.</summary>
    public bool Unsubscribe { get; init; }

    /// <summary>With <see cref="SlowLink"/>, the most packets on their way (both directions) when a deadline passes.</summary>
    public const int SlowBacklog = 2;

    /// <summary>The ping interval (ms): the engine pings after this long without sending, or without hearing since its last ping.</summary>
    public long PingIntervalMs { get; init; } = 1_000;

    /// <summary>The keepalive period (ms): nothing heard for this long and the link is declared dead (I5).</summary>
    public long KeepAliveMs { get; init; } = 3_000;

    /// <summary>The response time (ms) for a socket to open, a CONNACK, PUBACK or SUBACK, and DISCONNECT's write.</summary>
    public long ResponseTimeMs { get; init; } = 2_000;

    /// <summary>The reconnect delay (ms): initial and maximum are equal, so every attempt waits the same (see the fingerprint's backoff cap).</summary>
    public long BackoffMs { get; init; } = 1_000;

    /// <summary>Events left out of the model (a smaller environment, for the tests that seed bugs only one fault can show).</summary>
    public IReadOnlyList<ModelEventKind> Without { get; init; } = [];

    /// <summary>The events the model has: every kind but <see cref="Without"/>, as a bit mask by kind.</summary>
    public long EventMask => Without.Aggregate(-1L, (mask, kind) => mask & ~(1L << (int)kind));

    /// <summary>Every fault but these (for <see cref="Without"/>).</summary>
    public static ModelEventKind[] FaultsExcept(params ModelEventKind[] kept) =>
        [.. Enum.GetValues<ModelEventKind>().Where(k => new ModelEvent(k).Source == EventSource.Fault && !kept.Contains(k))];

    /// <summary>Throws when a bound makes no model.</summary>
    public void Validate()
    {
        if (MaxMessages is < 0 or > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxMessages), MaxMessages, "MaxMessages must be 0..4.");
        }

        if (Qos2Messages is < 0 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(Qos2Messages), Qos2Messages, "Qos2Messages must be 0..2.");
        }

        if (InboundQos2Messages is < 0 or > 2 || InboundQos1Messages is < 0 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(InboundQos2Messages), InboundQos2Messages, "InboundQos2Messages and InboundQos1Messages must be 0..2.");
        }

        if (Window < 1 || MaxRepublishes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Window), Window, "Window must be at least 1 and MaxRepublishes at least 0.");
        }
    }

    /// <summary>The engine's options for this model.</summary>
    public EngineOptions EngineOptions() => new()
    {
        CleanSession = CleanSession,
        KeepAliveMs = KeepAliveMs,
        PingIntervalMs = PingIntervalMs,
        ResponseTimeMs = ResponseTimeMs,
        MaxRepublishes = MaxRepublishes,
        MaxInflight = Window,
        BackoffInitialMs = BackoffMs,
        BackoffMaximumMs = BackoffMs,
    };

    /// <summary>A short name for reports.</summary>
    public override string ToString() =>
        $"{MaxMessages} messages{(Qos0Messages > 0 ? $" (+{Qos0Messages} at QoS 0)" : "")}{(Qos2Messages > 0 ? $" (+{Qos2Messages} at QoS 2)" : "")}, window {Window}, {MaxRepublishes} republishes, {(CleanSession ? "clean" : "kept")} session{(SlowLink ? ", slow link" : "")}{(LossyBroker ? ", lossy broker" : "")}{(Unsubscribe ? ", unsubscribe" : "")}{(InboundQos2Messages > 0 ? $", {InboundQos2Messages} inbound at QoS 2" : "")}{(InboundQos1Messages > 0 ? $", {InboundQos1Messages} inbound at QoS 1" : "")}"
        + (Without.Count == 0 ? "" : ", without " + string.Join(", ", Without));
}

/// <summary>A broken invariant, a hole in a table that the running client would crash on, or the engine throwing.</summary>
/// <param name="Invariant">"I1" to "I10", "NoRow", "Ambiguous", "Livelock" or "EngineThrew".</param>
/// <param name="Message">What went wrong.</param>
public sealed record Violation(string Invariant, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Invariant}: {Message}";
}
