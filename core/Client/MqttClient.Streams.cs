using StateMachineMqtt.Protocol;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt;

/// <summary>
/// Subscription streams: SubscribeStreamAsync, the streams the loop routes received messages to, and their end. The loop
/// owns the list; a stream is routed to from its SUBACK until its disposal or the client's end.
/// </summary>
public sealed partial class MqttClient
{
    private readonly List<MqttSubscription> _streams = [];   // subscribing or open, in subscription order; loop only
    private readonly List<ReceiveQueue> _targets = [];       // where the next message goes; loop only
    private readonly List<MqttSubscription> _disposing = [];  // ended, DisposeAsync waiting for the UNSUBACK; loop only

    /// <summary>
    /// Subscribes, and returns the subscription as a stream of just its messages: those whose topic matches
    /// <paramref name="topicFilter"/> (<see cref="MqttTopicMatcher.IsMatch"/>). Disposing the stream unsubscribes. Like
    /// <see cref="SubscribeAsync(string, MqttQualityOfService, CancellationToken)"/>, the subscription is restored after every reconnect that lost the session (I8); it
    /// throws <see cref="MqttSubscribeException"/> when the broker refuses it (SUBACK 0x80), and ArgumentException for an
    /// invalid filter, a malformed shared subscription included. The stream receives from its SUBACK on; each stream has its
    /// own queue of ReceiveQueueLength messages, which takes part in flow control: while it is full, delivery to every
    /// reader pauses (one TCP stream, so head-of-line blocking). See <see cref="MqttSubscription"/> for the routing,
    /// reader and disposal rules. Cancelling before the SUBACK ends the wait; a SUBSCRIBE already sent is still applied by
    /// the broker, as with SubscribeAsync, and its messages then arrive on ReadMessagesAsync. Throws
    /// InvalidOperationException before the first ConnectAsync.
    /// </summary>
    public Task<MqttSubscription> SubscribeStreamAsync(string topicFilter, MqttQualityOfService qualityOfService = MqttQualityOfService.AtLeastOnce, CancellationToken cancellationToken = default)
    {
        MqttTopicMatcher.EnsureValid(topicFilter, nameof(topicFilter));
        EnsureSubscriptionQos(qualityOfService);
        var stream = new MqttSubscription(this, topicFilter, NewStreamQueue(topicFilter));
        return AwaitSubscribed(StartRequest(RequestCall.Subscribe(topicFilter, (int)qualityOfService, cancellationToken, stream), nameof(SubscribeStreamAsync)), stream);
    }

    private static async Task<MqttSubscription> AwaitSubscribed(Task<MqttQualityOfService> subscribed, MqttSubscription stream)
    {
        await subscribed.ConfigureAwait(true);
        return stream;
    }

    private ReceiveQueue NewStreamQueue(string topicFilter) => new(_options.ReceiveQueueLength, OnMessageTaken, dropped =>
        _logger.StreamMessagesDropped(dropped, topicFilter));

    /// <summary>
    /// <see cref="MqttSubscription.UnsubscribeAsync"/>: the loop ends the stream whatever the token says (no inbox credit
    /// is taken, so it is never left waiting for room), then unsubscribes unless another stream still has the filter.
    /// </summary>
    internal Task UnsubscribeStreamAsync(MqttSubscription stream, CancellationToken cancellationToken)
    {
        RequestCall call = RequestCall.Unsubscribe(stream.TopicFilter, cancellationToken, stream);
        call.Cancellation = cancellationToken.Register(() => Post(new LoopEvent.CancelRequest(call)));
        Post(new LoopEvent.CloseStream(call));
        return call.Completion.Task;
    }

    /// <summary>On the loop: a stream's SUBSCRIBE is going to the engine; it is routed to once granted.</summary>
    private void OnStreamSubscribing(RequestCall call)
    {
        if (call.Stream is { } stream && call.Request.IsSubscribe)
        {
            _streams.Add(stream);
        }
    }

    /// <summary>
    /// On the loop: a request ended. A stream's SUBSCRIBE opens the stream when granted, else forgets it; a stream's
    /// UNSUBSCRIBE lets its DisposeAsync return.
    /// </summary>
    private void OnStreamRequestEnded(RequestCall call, MqttQualityOfService? granted)
    {
        if (call.Stream is not { } stream)
        {
            return;
        }

        if (!call.Request.IsSubscribe)
        {
            FinishDisposal(stream);
            return;
        }

        if (granted is { } qos)
        {
            stream.GrantedQualityOfService = qos;
            stream.IsOpen = true;
        }
        else
        {
            _streams.Remove(stream);
        }
    }

    /// <summary>
    /// On the loop: a stream is disposed. It is routed to no more and its queue ends (what no reader is left to take is
    /// dropped and counted). Its UNSUBSCRIBE goes to the engine unless another stream has the same filter: the broker holds
    /// one subscription per filter, so unsubscribing would end that stream's too.
    /// </summary>
    private void OnCloseStream(RequestCall call, long now)
    {
        MqttSubscription stream = call.Stream!;
        _streams.Remove(stream);
        stream.IsOpen = false;
        stream.Queue.CompleteAndDiscardUnread();
        if (call.CallerToken.IsCancellationRequested || _streams.Exists(other => other.TopicFilter == stream.TopicFilter))
        {
            call.Cancellation.Dispose();
            if (call.CallerToken.IsCancellationRequested)
            {
                call.Completion.TrySetCanceled(call.CallerToken);
            }
            else
            {
                call.Completion.TrySetResult(stream.GrantedQualityOfService);
            }

            FinishDisposal(stream);
            return;
        }

        _engine.Request(call.Request, now);
        if (_engine.IsConnected)
        {
            _disposing.Add(stream);
        }
        else
        {
            FinishDisposal(stream); // DisposeAsync does not wait out an outage: the UNSUBSCRIBE goes on the next link
        }
    }

    private void FinishDisposal(MqttSubscription stream)
    {
        _disposing.Remove(stream);
        stream.DisposeCompleted.TrySetResult();
    }

    /// <summary>
    /// On the loop: fills the targets of a message to <paramref name="topic"/>: every open stream whose filter matches it,
    /// else ReadMessagesAsync's queue. False when one of them is full, so the message stays in the engine for now.
    /// </summary>
    private bool CollectTargets(string topic)
    {
        _targets.Clear();
        foreach (MqttSubscription stream in _streams)
        {
            if (stream.IsOpen && TopicMatchRules.Matches(stream.TopicFilter, topic))
            {
                _targets.Add(stream.Queue);
            }
        }

        if (_targets.Count == 0)
        {
            _targets.Add(_messages);
        }

        foreach (ReceiveQueue target in _targets)
        {
            if (!target.HasRoom)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>On the loop: the link is down, so DisposeAsync calls waiting for an UNSUBACK return (it comes on a later link).</summary>
    private void OnLinkDownForStreams()
    {
        foreach (MqttSubscription stream in _disposing)
        {
            stream.DisposeCompleted.TrySetResult();
        }

        _disposing.Clear();
    }

    /// <summary>The client's end: every reader's queue completes (readers take what is queued, then stop).</summary>
    private void EndReaders()
    {
        _messages.Complete();
        foreach (MqttSubscription stream in _streams)
        {
            stream.IsOpen = false;
            stream.Queue.Complete();
        }

        _streams.Clear();
        OnLinkDownForStreams();
    }

    /// <summary>A stream disposed after the loop ended: nothing will fill it again.</summary>
    private static void CloseStreamAfterShutdown(RequestCall call, ObjectDisposedException disposed)
    {
        call.Stream!.Queue.CompleteAndDiscardUnread();
        call.Cancellation.Dispose();
        call.Completion.TrySetException(disposed);
        call.Stream.DisposeCompleted.TrySetResult();
    }
}
