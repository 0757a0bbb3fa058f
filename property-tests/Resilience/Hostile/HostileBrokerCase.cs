using StateMachineMqtt.PropertyTests.Fixtures.MaliciousBroker;

namespace StateMachineMqtt.PropertyTests.Resilience.Hostile;

/// <summary>
/// One way a broker misbehaves on its first connection, after it has taken (and not acknowledged) the client's QoS 1
/// message, and what the specification makes of it: a protocol violation the client must close the link over (with a
/// reason containing <paramref name="Reason"/>), or — <paramref name="Reason"/> null — packets the specification does not
/// forbid, which the client ignores, logging <paramref name="Ignored"/>, and stays connected.
/// </summary>
/// <param name="Name">The case, as the test names it.</param>
/// <param name="Misbehave">What the broker does once it holds the message (its socket, the identifiers it holds).</param>
/// <param name="Reason">A phrase the client's LinkLost reason must contain; null when the link must stay up.</param>
/// <param name="Ignored">For a case the client ignores, a phrase its log must contain.</param>
/// <param name="BeforeConnAck">True when the misbehaviour replaces the first CONNACK (the message is published after connecting).</param>
/// <param name="Subscribes">True when the client also subscribes on the first connection, and the broker holds that SUBSCRIBE too.</param>
internal sealed record HostileBrokerCase(
    string Name,
    Func<ScriptedConnection, HeldPackets, CancellationToken, Task> Misbehave,
    string? Reason,
    string? Ignored = null,
    bool BeforeConnAck = false,
    bool Subscribes = false)
{
    public override string ToString() => Name;
}

/// <summary>The packet identifiers of what the broker took and did not answer: the QoS 1 PUBLISH, and the SUBSCRIBE (0 when none).</summary>
internal readonly record struct HeldPackets(ushort PublishId, ushort SubscribeId);
