using StateMachineMqtt.TestKit.Proxy;

namespace StateMachineMqtt.TestKit.Soak;

/// <summary>The faults a soak run injects; all but <see cref="BrokerKill"/> are done by a <see cref="FaultProxy"/>.</summary>
public enum FaultKind
{
    /// <summary>Both sockets of every open connection reset (RST).</summary>
    Reset,
    /// <summary>Both sockets of every open connection closed (FIN).</summary>
    Close,
    /// <summary>Every open connection goes silent both ways with its sockets up: a half-open link only keepalive can find.</summary>
    HalfOpen,
    /// <summary>Every packet is delayed for a while (latency, not loss).</summary>
    Latency,
    /// <summary>The link is throttled to a trickle for a while (congestion: packets queue up and arrive late, none is lost).</summary>
    Throttle,
    /// <summary>The next QoS 1 PUBLISH reaches the broker, its PUBACK is swallowed and the link reset.</summary>
    CutBeforePubAck,
    /// <summary>Open connections are reset and new ones refused for a while (broker unreachable).</summary>
    Refuse,
    /// <summary>The broker is killed (SIGKILL), stays down for a while and is restarted on the same port and persistence.</summary>
    BrokerKill,
}

/// <summary>Whose link a fault hits.</summary>
public enum FaultTarget
{
    /// <summary>The publisher's proxy.</summary>
    Publisher,
    /// <summary>The subscriber's proxy.</summary>
    Subscriber,
    /// <summary>The broker itself (both links).</summary>
    Broker,
}

/// <summary>One fault of a schedule.</summary>
/// <param name="Index">0 for the first fault of the schedule, then 1, 2…</param>
/// <param name="Wait">Pause before injecting it, after the previous fault was injected.</param>
/// <param name="Kind">What to do.</param>
/// <param name="Target">Whose link.</param>
/// <param name="Duration">How long a standing fault lasts (latency, refusal, broker downtime); zero for instant ones.</param>
public sealed record ScheduledFault(int Index, TimeSpan Wait, FaultKind Kind, FaultTarget Target, TimeSpan Duration)
{
    /// <summary>True when the fault ends the link it hits (all but latency and throttling).</summary>
    public bool BreaksLink => Kind is not (FaultKind.Latency or FaultKind.Throttle);

    /// <summary>E.g. "#12 HalfOpen on Subscriber".</summary>
    public override string ToString() => Duration > TimeSpan.Zero
        ? $"#{Index} {Kind} on {Target} for {Duration.TotalMilliseconds:0} ms"
        : $"#{Index} {Kind} on {Target}";
}
