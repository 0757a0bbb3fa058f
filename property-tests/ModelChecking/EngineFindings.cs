namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>
/// Engine bugs this checker found, reported and not yet fixed (the checker does not change engine/). The model-checking
/// tests explore past them — each is counted and its first trace printed — so that everything else is still checked;
/// EngineFindingTests holds each one to its counter-example. When the engine is fixed, that test fails: delete the entry
/// here and the test.
/// </summary>
public static class EngineFindings
{
    /// <summary>
    /// After DisconnectAsync while a PUBLISH awaits its PUBACK, the PUBACK deadline passes: OnResponseDeadline only looks at
    /// flows while Connected, so it leaves the message AwaitingPubAck with its deadline passed, RecomputeResponseDeadline
    /// returns that deadline, and PollTimeout stays at Now: a driver re-arms its timer for "now" and spins until the
    /// DISCONNECT is written or the disconnect's own deadline passes.
    /// </summary>
    public static readonly KnownFinding DeadlineStaysDueWhileDisconnecting = new("a PUBACK deadline stays due while disconnecting", "Livelock", "in Disconnecting the next deadline is still due");

    /// <summary>
    /// With subscriptions in force, every CONNACK with a new session inserts a restoring SUBSCRIBE at the head of the
    /// requests (RestoreSubscriptions), whether or not the last restore is still waiting for its SUBACK. When links keep
    /// dying before the SUBACK, one more restore piles up per reconnect, and each is written on every link: the request
    /// list grows without bound (I10), as do the SUBSCRIBEs per connect.
    /// </summary>
    public static readonly KnownFinding RestoresPileUp = new("restoring SUBSCRIBEs pile up, one per reconnect", "I10", "the engine's requests pile up");

    /// <summary>Every known finding.</summary>
    public static IReadOnlyList<KnownFinding> All { get; } = [DeadlineStaysDueWhileDisconnecting, RestoresPileUp];
}
