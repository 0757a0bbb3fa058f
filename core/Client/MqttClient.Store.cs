using StateMachineMqtt.Engine;
using StateMachineMqtt.Engine.Store;
using StateMachineMqtt.Store;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt;

/// <summary>
/// The durable session store's mechanism: recovered and restored into the engine when the client is made, fed the
/// engine's records by the loop, and closed after the loop. What to record is the engine's decision.
/// </summary>
public sealed partial class MqttClient
{
    private ISessionStore? _store;

    /// <summary>What the store found when this client was made (null without a store).</summary>
    internal SessionStoreRecovery? StoreRecovery { get; private set; }

    /// <summary>The store itself (tests and the CLI read its counters).</summary>
    internal ISessionStore? SessionStore => _store;

    /// <summary>
    /// Publishes a QoS 1 or 2 message and completes once it is durable: its record is in the durable store
    /// (<see cref="MqttClientOptions.StoreDirectory"/>) under <see cref="MqttClientOptions.StoreFlush"/>, or the broker has
    /// already acknowledged it, whichever comes first. From then on the client delivers it — across reconnects, and across
    /// a crash of the process once a client is made again with the same directory — so the caller need not wait for the
    /// PUBACK or PUBCOMP (<see cref="PublishAsync(string, ReadOnlyMemory{byte}, MqttQualityOfService, bool, CancellationToken)"/>
    /// waits for that). It fails when the message is refused before it is stored (too large, queue full under Reject) or
    /// the store cannot be written (IOException); a refusal the broker sends later (MQTT 5) is logged, not reported here.
    /// Cancelling before it is accepted withdraws the message; afterwards only the wait ends.
    /// </summary>
    public Task PublishDurableAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qualityOfService, bool retain = false, CancellationToken cancellationToken = default)
    {
        if (!_options.HasStore)
        {
            throw new InvalidOperationException("PublishDurableAsync needs a durable store: set MqttClientOptions.StoreDirectory (or use PublishAsync).");
        }

        if (qualityOfService is not (MqttQualityOfService.AtLeastOnce or MqttQualityOfService.ExactlyOnce))
        {
            throw new ArgumentOutOfRangeException(nameof(qualityOfService), qualityOfService, "Only QoS 1 (AtLeastOnce) and 2 (ExactlyOnce) messages are stored: QoS 0 is never re-sent, so use PublishAsync for it.");
        }

        TopicValidation.EnsureTopicName(topic, nameof(topic));
        if (Refuse(cancellationToken) is { } refused)
        {
            return refused;
        }

        EnsureConnectCalled(nameof(PublishDurableAsync));
        var call = new PublishCall(topic, payload.ToArray(), (int)qualityOfService, retain, null, 0, cancellationToken)
        {
            Stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        Task delivered = _callCredits.Wait(0, CancellationToken.None) ? Enqueue(call) : EnqueueWhenRoomAsync(call);
        return WhenDurableAsync(call.Stored.Task, delivered);
    }

    /// <summary>Stored, or delivered: either makes the message safe; a failure or cancellation before both is the caller's.</summary>
    private static async Task WhenDurableAsync(Task stored, Task delivered)
    {
        Task first = await Task.WhenAny(stored, delivered).ConfigureAwait(true);
        if (first == delivered && !delivered.IsCompletedSuccessfully)
        {
            _ = stored.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        else if (first == stored)
        {
            _ = delivered.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        await first.ConfigureAwait(true);
    }

    /// <summary>Opens the configured store, recovers it and restores what it held into the engine, before the loop starts.</summary>
    private void OpenStore()
    {
        if (!_options.HasStore)
        {
            return;
        }

        string where = _options.StoreDirectory ?? "(in memory)";
        _store = _options.SessionStore ?? new FileSessionStore(_options.StoreDirectory!, _options.StoreFlush, _options.StoreFlushInterval, _time);
        try
        {
            StoreRecovery = _store.Recover();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException("The durable store at " + where + " could not be opened (" + e.Message + "). Check that the directory is writable and that no other client uses it.", e);
        }

        SessionSnapshot snapshot = StoreRecovery.Snapshot;
        if (StoreRecovery.DroppedBytes > 0)
        {
            _logger.StoreTailDropped(where, StoreRecovery.DroppedBytes);
        }

        StoredMessage[] stored = snapshot.Messages;
        var messages = new OutboundMessage[stored.Length];
        for (int i = 0; i < stored.Length; i++)
        {
            // Nobody awaits a restored message: its call exists so its ending is handled as any other's.
            messages[i] = new PublishCall(stored[i].Topic, stored[i].Payload, stored[i].Qos, stored[i].Retain, null, 0, CancellationToken.None).Message;
        }

        _engine.Restore(snapshot, messages);
        _logger.StoreRecovered(where, StoreRecovery.Records, stored.Length, snapshot.Subscriptions.Length, snapshot.Receipts.Length);
    }

    /// <summary>On the loop: hands the engine's records to the store, in order, each durable message's call told once stored.</summary>
    private void StoreRecords()
    {
        if (_store is null)
        {
            return;
        }

        while (_engine.PollRecord(out SessionRecord record))
        {
            TaskCompletionSource? durable = record.Caller is PublishCall { Stored: { } stored } ? stored : null;
            record.Caller = null; // the store keeps no caller alive
            _store.Append(record, durable);
        }
    }

    private async ValueTask CloseStoreAfterLoopAsync()
    {
        await _loop.ConfigureAwait(false);
        await _store!.DisposeAsync().ConfigureAwait(false);
    }
}
