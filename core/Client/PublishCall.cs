using StateMachineMqtt.Engine;
using StateMachineMqtt.Protocol.V5;

namespace StateMachineMqtt;

/// <summary>One PublishAsync call: the engine's message, and the caller's task and token.</summary>
internal sealed class PublishCall
{
    public PublishCall(string topic, byte[] payload, int qos, bool retain, MqttProperties? properties, int propertiesSize, CancellationToken callerToken)
    {
        Message = new OutboundMessage(topic, payload, qos, retain, properties, propertiesSize, this);
        CallerToken = callerToken;
    }

    public OutboundMessage Message { get; }

    public CancellationToken CallerToken { get; }

    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationTokenRegistration Cancellation { get; set; }

    /// <summary>True while it waits for room in the outbound queue (OutboundOverflowPolicy.Wait), not yet accepted.</summary>
    public bool WaitingForRoom { get; set; }
}
