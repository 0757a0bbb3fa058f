using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.Session;

/// <summary>A SUBSCRIBE or UNSUBSCRIBE waiting for its acknowledgement; re-sent on each new link until it comes.</summary>
internal sealed class PendingRequest
{
    private PendingRequest(IReadOnlyList<TopicSubscription>? subscriptions, IReadOnlyList<string>? unsubscriptions, bool isRestore)
    {
        Subscriptions = subscriptions;
        Unsubscriptions = unsubscriptions;
        IsRestore = isRestore;
    }

    public static PendingRequest Subscribe(IReadOnlyList<TopicSubscription> subscriptions, bool isRestore = false) => new(subscriptions, null, isRestore);

    public static PendingRequest Unsubscribe(IReadOnlyList<string> filters) => new(null, filters, false);

    public IReadOnlyList<TopicSubscription>? Subscriptions { get; }
    public IReadOnlyList<string>? Unsubscriptions { get; }

    /// <summary>Sent by the client itself to restore subscriptions after a session was lost; nobody waits on it.</summary>
    public bool IsRestore { get; }

    /// <summary>SUBSCRIBE completes with the granted return codes; UNSUBSCRIBE with an empty list.</summary>
    public TaskCompletionSource<IReadOnlyList<byte>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationTokenRegistration Cancellation { get; set; }

    /// <summary>Identifier on the current link; 0 when not sent on it.</summary>
    public ushort PacketId { get; set; }

    public DateTimeOffset Deadline { get; set; }

    public MqttPacket ToPacket() => Subscriptions is not null
        ? new SubscribePacket(PacketId, Subscriptions)
        : new UnsubscribePacket(PacketId, Unsubscriptions!);
}
