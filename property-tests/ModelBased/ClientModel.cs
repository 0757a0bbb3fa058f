using System.Collections.Immutable;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.ModelBased;

/// <summary>
/// The pure model of what the client should look like once the world has settled after an operation. It steps the
/// Connection and Publish tables at the granularity a settled world makes observable: with the network up the
/// Connection machine ends Connected and every held QoS 1 message takes Transmit then PubAck (gone); with it down the
/// machine is never Connected and a message published meanwhile stays Queued (Queued --LinkLost--> Queued).
/// </summary>
/// <param name="NetworkUp">Whether connects reach the broker.</param>
/// <param name="Held">Held QoS 1 messages (payload, Publish-table state), oldest first.</param>
/// <param name="Subscriptions">Filters the client has subscribed and must keep in force.</param>
/// <param name="Published">Payloads published at QoS 1 so far, each of which the broker must accept at least once.</param>
internal sealed record ClientModel(bool NetworkUp, ImmutableList<(string Payload, PublishState State)> Held, ImmutableSortedSet<string> Subscriptions, ImmutableList<string> Published)
{
    public static ClientModel Initial { get; } = new(true, [], ImmutableSortedSet<string>.Empty.WithComparer(StringComparer.Ordinal), []);

    /// <summary>Connection machine after settling: Connected exactly when the network lets it reconnect.</summary>
    public bool Connected => NetworkUp;

    /// <summary>Settles the Publish machines: with a working network every held message is re-sent and acknowledged.</summary>
    public ClientModel Settle() => NetworkUp ? this with { Held = [] } : this;

    public ClientModel Publish(string payload) =>
        (this with { Held = Held.Add((payload, PublishState.Queued)), Published = Published.Add(payload) }).Settle();

    public override string ToString() =>
        $"up={NetworkUp} held=[{string.Join(",", Held.Select(h => $"{h.Payload}:{h.State}"))}] subs=[{string.Join(",", Subscriptions)}]";
}
