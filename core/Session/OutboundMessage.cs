using StateMachineMqtt.Machines;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Session;

/// <summary>
/// A message the application handed to PublishAsync, from acceptance until its flow ends. QoS 1 messages carry
/// their own Stateless machine built from the Publish table; their state lives here.
/// </summary>
internal sealed class OutboundMessage
{
    public OutboundMessage(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qualityOfService, bool retain, CancellationToken callerToken)
    {
        CallerToken = callerToken;
        Topic = topic;
        Payload = payload;
        QualityOfService = qualityOfService;
        Retain = retain;
    }

    /// <summary>The caller's token: checked again when the loop accepts the message, in case it fired on the way.</summary>
    public CancellationToken CallerToken { get; }

    public string Topic { get; }
    public ReadOnlyMemory<byte> Payload { get; }
    public MqttQualityOfService QualityOfService { get; }
    public bool Retain { get; }

    /// <summary>Completed when the flow ends (PUBACK, written for QoS 0, withdrawn, or disposed).</summary>
    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The caller's cancellation registration, released when the flow ends.</summary>
    public CancellationTokenRegistration Cancellation { get; set; }

    /// <summary>The QoS 1 machine (null for QoS 0).</summary>
    public TableMachine<PublishState, PublishTrigger, PublishGuard, PublishEffect>? Machine { get; set; }

    /// <summary>Its place in the client's ordered list of held messages; null once the flow has ended.</summary>
    public LinkedListNode<OutboundMessage>? Node { get; set; }

    /// <summary>State storage for the machine.</summary>
    public PublishState State { get; set; } = PublishTable.Initial;

    /// <summary>Packet identifier, assigned when the message first enters the in-flight window; 0 before.</summary>
    public ushort PacketId { get; set; }

    /// <summary>Re-sends made on the current link (reset on each new link).</summary>
    public int RepublishesOnLink { get; set; }

    /// <summary>Total sends of this message (first + re-sends), for statistics.</summary>
    public int Sends { get; set; }

    /// <summary>When PUBACK is due.</summary>
    public DateTimeOffset Deadline { get; set; }

    /// <summary>Set when the caller's wait was cancelled after the first send: the message stays held.</summary>
    public bool CallerDetached { get; set; }

    public PublishPacket ToPacket(bool dup) => new(Topic, Payload, QualityOfService, Retain, dup, PacketId);
}
