using StateMachineMqtt.Spec;

namespace StateMachineMqtt;

/// <summary>Publish calls: handed to the engine's bounded queue, or waiting for room there in order (OutboundOverflowPolicy.Wait).</summary>
public sealed partial class MqttClient
{
    private readonly LinkedList<PublishCall> _waitingForRoom = new();

    private void OnPublishCommand(PublishCall call, long now)
    {
        if (call.CallerToken.IsCancellationRequested)
        {
            // Cancelled on its way to the loop: never accepted.
            call.Cancellation.Dispose();
            call.Completion.TrySetCanceled(call.CallerToken);
            return;
        }

        if (_waitingForRoom.Count > 0)
        {
            // Strictly in order: behind those already waiting.
            Wait(call);
            return;
        }

        Offer(call, now);
    }

    /// <summary>Offers a call to the engine; false when it must wait for room.</summary>
    private bool Offer(PublishCall call, long now)
    {
        switch (_engine.Publish(call.Message, now))
        {
            case AdmitVerdict.Wait:
                Wait(call);
                return false;
            case AdmitVerdict.Reject:
                call.Cancellation.Dispose();
                call.Completion.TrySetException(new InvalidOperationException(
                    $"The outbound queue is full (MaxQueuedMessages = {_options.MaxQueuedMessages}, MaxQueuedBytes = {_options.MaxQueuedBytes}) and OutboundOverflow is Reject. " +
                    "Publish more slowly, raise the bounds, or choose OutboundOverflowPolicy.Wait."));
                return true;
            default:
                return true;
        }
    }

    private void Wait(PublishCall call)
    {
        call.WaitingForRoom = true;
        _waitingForRoom.AddLast(call);
    }

    private void OfferWaitingPublishes()
    {
        long now = Now();
        while (_waitingForRoom.First is { } node)
        {
            _waitingForRoom.RemoveFirst();
            node.Value.WaitingForRoom = false;
            if (!Offer(node.Value, now))
            {
                // Offer put it back at the end; it was the first, so restore its place.
                _waitingForRoom.RemoveLast();
                _waitingForRoom.AddFirst(node.Value);
                return;
            }
        }
    }

    private void OnPublishCancelled(PublishCall call, long now)
    {
        if (call.WaitingForRoom)
        {
            _waitingForRoom.Remove(call);
            call.WaitingForRoom = false;
            call.Cancellation.Dispose();
            call.Completion.TrySetCanceled(call.CallerToken);
            return;
        }

        _engine.CancelPublish(call.Message, now);
    }

    private void OnRequestCommand(RequestCall call, long now)
    {
        if (call.CallerToken.IsCancellationRequested)
        {
            call.Cancellation.Dispose();
            call.Completion.TrySetCanceled(call.CallerToken);
            return;
        }

        OnStreamSubscribing(call);
        _engine.Request(call.Request, now);
    }
}
