using System.Collections.Immutable;
using StateMachineMqtt.Machines;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.ModelBased;

/// <summary>
/// The pure model of what the client should look like once the world has settled after an operation. Held messages step
/// through the Publish table (spec/Publish) at the granularity a settled world makes observable: with the network up
/// each takes Transmit then PubAck (QoS 1), or Transmit, PubRec and PubComp (QoS 2), and is gone; when the network goes
/// down each takes LinkLost, and one published meanwhile stays Queued. Connection state is coarser: Connected exactly when the network is up, since every fault
/// the operations inject heals within the settle time (a stated simplification, not a table walk).
/// </summary>
/// <param name="NetworkUp">Whether connects reach the broker.</param>
/// <param name="Held">Held QoS 1 and 2 messages (payload, QoS, Publish-table state), oldest first.</param>
/// <param name="Subscriptions">Filters the client has subscribed and must keep in force.</param>
/// <param name="Published">Payloads published at QoS 1 and 2 so far, each of which the broker must accept at least once.</param>
internal sealed record ClientModel(bool NetworkUp, ImmutableList<(string Payload, int Qos, PublishState State)> Held, ImmutableSortedSet<string> Subscriptions, ImmutableList<string> Published)
{
    public static ClientModel Initial { get; } = new(true, [], ImmutableSortedSet<string>.Empty.WithComparer(StringComparer.Ordinal), []);

    /// <summary>Connection machine after settling: Connected exactly when the network lets it reconnect.</summary>
    public bool Connected => NetworkUp;

    /// <summary>
    /// Settles the Publish machines by stepping their table: with a working network every held message is transmitted
    /// (Queued or Resend --Transmit-->) and answered as its QoS is (--PubAck--> Acked, or --PubRec--> then --PubComp-->
    /// Acked), and is no longer held.
    /// </summary>
    public ClientModel Settle() =>
        NetworkUp
            ? this with { Held = [.. Held.Select(h => (h.Payload, h.Qos, Answered(h.Qos, Step(h.Qos, h.State, PublishTrigger.Transmit)))).Where(h => h.Item3 != PublishState.Acked)] }
            : this;

    /// <summary>The link is lost: every held message takes its LinkLost row.</summary>
    public ClientModel LoseLink() => this with { Held = [.. Held.Select(h => (h.Payload, h.Qos, Step(h.Qos, h.State, PublishTrigger.LinkLost)))] };

    private static PublishState Answered(int qos, PublishState sent) =>
        qos == 1 ? Step(qos, sent, PublishTrigger.PubAck) : Step(qos, Step(qos, sent, PublishTrigger.PubRec), PublishTrigger.PubComp);

    /// <summary>
    /// The target of the one row of the Publish table for this state and trigger that applies to a message of
    /// <paramref name="qos"/>: unguarded, or guarded by its QoS (the first send forks on AtLeastOnce / ExactlyOnce).
    /// </summary>
    private static PublishState Step(int qos, PublishState from, PublishTrigger trigger) =>
        SpecTables.Publish().Single(r => r.From == from && r.Trigger == trigger
            && (r.Guard == PublishGuard.None || r.Guard == (qos == 1 ? PublishGuard.AtLeastOnce : PublishGuard.ExactlyOnce))).To;

    public ClientModel Publish(string payload, int qos) =>
        (this with { Held = Held.Add((payload, qos, PublishState.Queued)), Published = Published.Add(payload) }).Settle();

    public override string ToString() =>
        $"up={NetworkUp} held=[{string.Join(",", Held.Select(h => $"{h.Payload}:{h.State}"))}] subs=[{string.Join(",", Subscriptions)}]";
}
