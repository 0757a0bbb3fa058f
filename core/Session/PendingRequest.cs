using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.Session;

/// <summary>A SUBSCRIBE or UNSUBSCRIBE waiting for its acknowledgement; re-sent on each new link until it comes.</summary>
internal sealed class PendingRequest
{
    private PendingRequest(IReadOnlyList<TopicSubscription>? subscriptions, IReadOnlyList<string>? unsubscriptions, bool isRestore, CancellationToken callerToken)
    {
        CallerToken = callerToken;
        Subscriptions = subscriptions;
        Unsubscriptions = unsubscriptions;
        IsRestore = isRestore;
    }

    public static PendingRequest Subscribe(IReadOnlyList<TopicSubscription> subscriptions, CancellationToken callerToken, bool isRestore = false) => new(subscriptions, null, isRestore, callerToken);

    public static PendingRequest Unsubscribe(IReadOnlyList<string> filters, CancellationToken callerToken) => new(null, filters, false, callerToken);

    public CancellationToken CallerToken { get; }

    public IReadOnlyList<TopicSubscription>? Subscriptions { get; }
    public IReadOnlyList<string>? Unsubscriptions { get; }

    /// <summary>Sent by the client itself to restore subscriptions after a session was lost; nobody waits on it.</summary>
    public bool IsRestore { get; }

    /// <summary>SUBSCRIBE completes with the QoS granted to its first filter (or MqttSubscribeException); UNSUBSCRIBE with AtMostOnce.</summary>
    public TaskCompletionSource<Protocol.MqttQualityOfService> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationTokenRegistration Cancellation { get; set; }

    /// <summary>Identifier on the current link; 0 when not sent on it.</summary>
    public ushort PacketId { get; set; }

    public DateTimeOffset Deadline { get; set; }

    public MqttPacket ToPacket() => Subscriptions is not null
        ? new SubscribePacket(PacketId, Subscriptions)
        : new UnsubscribePacket(PacketId, Unsubscriptions!);
}
