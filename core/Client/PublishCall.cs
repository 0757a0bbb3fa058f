using StateMachineMqtt.Engine;
using StateMachineMqtt.Protocol.V5;

namespace StateMachineMqtt;

/// <summary>One PublishAsync call: the engine's message, the caller's task and token, and its span while traced.</summary>
internal sealed class PublishCall
{
    public PublishCall(string topic, byte[] payload, int qos, bool retain, MqttProperties? properties, int propertiesSize, CancellationToken callerToken, PublishSpan? span = null)
    {
        Message = new OutboundMessage(topic, payload, qos, retain, properties, propertiesSize, this);
        CallerToken = callerToken;
        Span = span;
    }

    public OutboundMessage Message { get; }

    public CancellationToken CallerToken { get; }

    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>PublishDurableAsync: completes once the message's record is in the durable store; null for PublishAsync.</summary>
    public TaskCompletionSource? Stored { get; init; }

    public CancellationTokenRegistration Cancellation { get; set; }

    /// <summary>True while it waits for room in the outbound queue (OutboundOverflowPolicy.Wait), not yet accepted.</summary>
    public bool WaitingForRoom { get; set; }

    /// <summary>Its Producer span, or null when nothing traces it.</summary>
    public PublishSpan? Span { get; }

    /// <summary>Completes the caller's task: acknowledged, or (QoS 0) written.</summary>
    public void Succeed()
    {
        Span?.Completed(); // first: whoever awaits the task may look for the span at once
        Completion.TrySetResult();
    }

    /// <summary>Fails the caller's task with <paramref name="exception"/>.</summary>
    public void Fail(Exception exception)
    {
        Span?.Failed(exception);
        Completion.TrySetException(exception);
    }

    /// <summary>Cancels the caller's task with its own token.</summary>
    public void Cancel()
    {
        Span?.Cancelled();
        Completion.TrySetCanceled(CallerToken);
    }
}
