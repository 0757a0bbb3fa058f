using Microsoft.Extensions.Logging;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Session;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt;

/// <summary>SUBSCRIBE / UNSUBSCRIBE requests, the subscription registry, and the response-time timer.</summary>
public sealed partial class MqttClient
{
    private readonly List<PendingRequest> _requests = [];
    private readonly SubscriptionRegistry _subscriptions = new();
    private ITimer? _responseTimer;
    private long _responseTimerToken;

    private void OnRequestCommand(PendingRequest pending)
    {
        if (pending.CallerToken.IsCancellationRequested)
        {
            pending.Cancellation.Dispose();
            pending.Completion.TrySetCanceled(pending.CallerToken);
            return;
        }

        if (pending.Unsubscriptions is { } filters)
        {
            // Forget it now, so a reconnect in between does not restore what the application is removing.
            foreach (string filter in filters)
            {
                _subscriptions.Remove(filter);
            }
        }

        _requests.Add(pending);
        SendRequests();
    }

    private void OnRequestCancelled(PendingRequest pending)
    {
        if (pending.PacketId == 0 && _requests.Remove(pending))
        {
            // Never sent: withdraw it.
            pending.Cancellation.Dispose();
            pending.Completion.TrySetCanceled(pending.CallerToken);
            return;
        }

        // Sent: the broker will apply it; only the caller stops waiting.
        pending.Completion.TrySetCanceled(pending.CallerToken);
    }

    private void RestoreSubscriptions()
    {
        _requests.Insert(0, PendingRequest.Subscribe([.. _subscriptions.All], CancellationToken.None, isRestore: true));
    }

    private void SendRequests()
    {
        if (_connection.State != ConnectionState.Connected)
        {
            return;
        }

        foreach (PendingRequest pending in _requests)
        {
            if (pending.PacketId == 0)
            {
                pending.PacketId = _packetIds.Take();
                pending.Deadline = _time.GetUtcNow() + _options.ResponseTime;
                Send(pending.ToPacket());
            }
        }

        ArmResponseTimer();
    }

    private void OnRequestAck(ushort packetId, IReadOnlyList<byte>? returnCodes)
    {
        PendingRequest? pending = _requests.Find(r => r.PacketId == packetId);
        if (pending is null)
        {
            _logger.LogWarning("Ignoring an acknowledgement for packet identifier {PacketId}, which no request is waiting for.", packetId);
            return;
        }

        bool isSubAck = returnCodes is not null;
        if (isSubAck != (pending.Subscriptions is not null) || (isSubAck && returnCodes!.Count != pending.Subscriptions!.Count))
        {
            FireConnection(ConnectionTrigger.ProtocolViolation, $"the acknowledgement for packet {packetId} does not match its request [MQTT-3.9.3-1]");
            return;
        }

        ReleaseRequestId(pending);
        _requests.Remove(pending);
        pending.Cancellation.Dispose();
        if (pending.Subscriptions is not { } subscriptions)
        {
            // Again on UNSUBACK: a SUBSCRIBE for the same filter queued before it may have been granted in between.
            foreach (string filter in pending.Unsubscriptions!)
            {
                _subscriptions.Remove(filter);
            }

            pending.Completion.TrySetResult(Protocol.MqttQualityOfService.AtMostOnce);
            ArmResponseTimer();
            return;
        }

        for (int i = 0; i < subscriptions.Count; i++)
        {
            byte code = returnCodes![i];
            if (code == SubAckPacket.Failure)
            {
                _logger.LogError("The broker refused the subscription to {Filter} (SUBACK 0x80).", subscriptions[i].TopicFilter);
                continue;
            }

            _subscriptions.Set(subscriptions[i].TopicFilter, (Protocol.MqttQualityOfService)code);
        }

        if (returnCodes![0] == SubAckPacket.Failure)
        {
            pending.Completion.TrySetException(new MqttSubscribeException(subscriptions[0].TopicFilter));
        }
        else
        {
            pending.Completion.TrySetResult((Protocol.MqttQualityOfService)returnCodes[0]);
        }

        ArmResponseTimer();
    }

    private void ReleaseRequestId(PendingRequest pending)
    {
        if (pending.PacketId != 0)
        {
            _packetIds.Release(pending.PacketId);
            pending.PacketId = 0;
        }
    }

    /// <summary>Arms the response timer for the earliest PUBACK / SUBACK / UNSUBACK deadline.</summary>
    private void ArmResponseTimer()
    {
        DateTimeOffset? earliest = null;
        foreach (var message in _inFlight.Values)
        {
            if (message.State == PublishState.AwaitingPubAck && (earliest is null || message.Deadline < earliest))
            {
                earliest = message.Deadline;
            }
        }

        foreach (var pending in _requests)
        {
            if (pending.PacketId != 0 && (earliest is null || pending.Deadline < earliest))
            {
                earliest = pending.Deadline;
            }
        }

        CancelResponseTimer();
        if (earliest is { } due)
        {
            long token = ++_responseTimerToken;
            TimeSpan delay = due - _time.GetUtcNow();
            _responseTimer = _time.CreateTimer(_ => Post(new LoopEvent.ResponseTimer(token)), null, delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void CancelResponseTimer()
    {
        _responseTimerToken++;
        _responseTimer?.Dispose();
        _responseTimer = null;
    }

    private void OnResponseTimer()
    {
        DateTimeOffset now = _time.GetUtcNow();
        foreach (var pending in _requests)
        {
            if (pending.PacketId != 0 && pending.Deadline <= now)
            {
                FireConnection(ConnectionTrigger.ResponseTimeout, $"no acknowledgement for packet {pending.PacketId} within {_options.ResponseTime.TotalSeconds:0.###} s");
                return;
            }
        }

        foreach (OutboundMessage message in _held.ToArray())
        {
            if (_connection.State != ConnectionState.Connected)
            {
                return;
            }

            if (message.State == PublishState.AwaitingPubAck && message.Deadline <= now)
            {
                FirePublish(message, PublishTrigger.ResponseTimeout);
            }
        }

        ArmResponseTimer();
    }
}
