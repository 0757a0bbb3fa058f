using StateMachineMqtt.Protocol;

namespace StateMachineMqtt;

/// <summary>
/// A subscription that is its own stream of messages (<see cref="MqttClient.SubscribeStreamAsync"/>): enumerate it for the
/// received messages whose topic matches <see cref="TopicFilter"/>, and dispose it to unsubscribe.
/// <list type="bullet">
/// <item><b>Routing.</b> Every received message goes to each open stream whose filter matches its topic
/// (<see cref="MqttTopicMatcher.IsMatch"/>), so overlapping streams each get their own copy (the same MqttMessage object);
/// a message no stream matches goes to <see cref="MqttClient.ReadMessagesAsync"/>. Order per topic is kept (I9).</item>
/// <item><b>Flow control.</b> Each stream's queue holds ReceiveQueueLength messages. A QoS 1 or 2 message is acknowledged
/// once it is in every queue it goes to; while one of them is full the client takes no more messages (later ones wait in
/// order) and stops reading the socket, so the broker is held back and nothing is lost. The messages of every subscription
/// share one TCP stream, so this is head-of-line blocking: a stream, or ReadMessagesAsync, that is not read stops
/// delivery to all the others. Read every stream you open, and ReadMessagesAsync too unless every message matches a
/// stream.</item>
/// <item><b>One reader.</b> One enumeration at a time; a second concurrent one throws InvalidOperationException.
/// Enumerating again after the first has ended continues where it stopped.</item>
/// <item><b>Disposal.</b> <see cref="DisposeAsync"/> or <see cref="UnsubscribeAsync"/> stops routing to the stream at once
/// and sends UNSUBSCRIBE. An enumeration still running yields the messages already queued and then ends; messages queued
/// that no enumeration is left to take are dropped then and counted in <see cref="DroppedMessages"/> (and logged). They
/// were acknowledged as they were queued, so the broker does not send them again. Messages the broker sent before it
/// applied the UNSUBSCRIBE go to ReadMessagesAsync, like any message no stream matches.</item>
/// </list>
/// </summary>
public sealed class MqttSubscription : IAsyncEnumerable<MqttMessage>, IAsyncDisposable
{
    private readonly MqttClient _client;
    private readonly object _gate = new();
    private Task? _unsubscribed;

    internal MqttSubscription(MqttClient client, string topicFilter, ReceiveQueue queue)
    {
        _client = client;
        TopicFilter = topicFilter;
        Queue = queue;
    }

    /// <summary>The topic filter this subscription receives, as given to SubscribeStreamAsync.</summary>
    public string TopicFilter { get; }

    /// <summary>The QoS the broker granted in its SUBACK; messages arrive at most at this QoS.</summary>
    public MqttQualityOfService GrantedQualityOfService { get; internal set; }

    /// <summary>Messages that were queued for this stream but never read, because it was disposed first (see the class remarks).</summary>
    public long DroppedMessages => Queue.DroppedCount;

    /// <summary>The stream's queue, filled by the client's loop.</summary>
    internal ReceiveQueue Queue { get; }

    /// <summary>True from the SUBACK until disposal: the loop routes matching messages here. Read and written on the loop only.</summary>
    internal bool IsOpen { get; set; }

    /// <summary>
    /// Completed by the loop when <see cref="DisposeAsync"/> may return: the stream has ended, and its UNSUBSCRIBE has been
    /// answered, or was not needed, or waits for the next link (the link is down), or the client has ended.
    /// </summary>
    internal TaskCompletionSource DisposeCompleted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// The messages of this subscription, in arrival order, until it is disposed (or the client is). One enumeration at a
    /// time: a second concurrent one throws InvalidOperationException. Cancelling the token ends only this enumeration.
    /// </summary>
    public IAsyncEnumerator<MqttMessage> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        Queue.ReadAllAsync(
            $"The subscription to \"{TopicFilter}\" is already being read: a second concurrent reader would take every other message from the first. Read it from one loop and dispatch from there, or give the other consumer its own stream with SubscribeStreamAsync.",
            cancellationToken).GetAsyncEnumerator(cancellationToken);

    /// <summary>
    /// Ends the stream at once (see the class remarks for messages already queued) and unsubscribes: completes when the
    /// broker's UNSUBACK arrives, waiting across outages. Cancelling ends only the wait; a cancelled UNSUBSCRIBE not sent
    /// yet is withdrawn, so a broker that kept the session may go on sending the filter's messages, which then arrive on
    /// ReadMessagesAsync. The filter is no longer restored after reconnects either way. When another open stream of this
    /// client has the same filter, no UNSUBSCRIBE is sent, since it would end that stream's subscription too. Calling it
    /// again returns the first call's task.
    /// </summary>
    public Task UnsubscribeAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return _unsubscribed ??= _client.UnsubscribeStreamAsync(this, cancellationToken);
        }
    }

    /// <summary>
    /// Unsubscribes as <see cref="UnsubscribeAsync"/> does, and waits for the UNSUBACK while the client is connected. It does
    /// not wait for an outage to end: while the link is down it returns once the stream has ended, and the UNSUBSCRIBE goes
    /// on the next link. A client already disposed has no subscriptions left, so disposing its streams just ends them.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        Task unsubscribed = UnsubscribeAsync(CancellationToken.None);
        await DisposeCompleted.Task.ConfigureAwait(true);
        if (!unsubscribed.IsCompleted)
        {
            // It completes on a later link; nobody waits for it any more, so its outcome is only observed.
            _ = unsubscribed.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return;
        }

        try
        {
            await unsubscribed.ConfigureAwait(true);
        }
        catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException)
        {
            // The client is gone (its subscriptions with it), or an earlier UnsubscribeAsync was cancelled: the stream has ended either way.
        }
    }
}
