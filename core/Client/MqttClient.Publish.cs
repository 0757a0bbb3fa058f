using StateMachineMqtt.Machines;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Session;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt;

/// <summary>Outbound messages: the ordered list of held messages and one Publish machine per QoS 1 message.</summary>
public sealed partial class MqttClient
{
    private readonly LinkedList<OutboundMessage> _held = new();
    private readonly Dictionary<ushort, OutboundMessage> _inFlight = [];
    private readonly PacketIdAllocator _packetIds = new();
    private int _awaitingPubAck;

    /// <summary>
    /// The held QoS 1 messages, in order, for invariant checks (I1, I2). Not synchronised: call it only where the loop cannot
    /// run concurrently, as the deterministic simulation does.
    /// </summary>
    internal IReadOnlyList<(string Topic, ReadOnlyMemory<byte> Payload, ushort PacketId, PublishState State)> SnapshotHeldMessages() =>
        [.. _held.Where(m => m.Machine is not null).Select(m => (m.Topic, m.Payload, m.PacketId, m.State))];

    /// <summary>The subscriptions the client would restore, for invariant checks (I8); same caveat as <see cref="SnapshotHeldMessages"/>.</summary>
    internal IReadOnlyList<string> SnapshotSubscriptions() => [.. _subscriptions.All.Select(s => s.TopicFilter)];

    private void OnPublishCommand(OutboundMessage message)
    {
        if (message.CallerToken.IsCancellationRequested)
        {
            // Cancelled on its way to the loop: never accepted.
            message.Cancellation.Dispose();
            message.Completion.TrySetCanceled(message.CallerToken);
            return;
        }

        if (message.QualityOfService == MqttQualityOfService.AtLeastOnce)
        {
            message.Machine = MachineFactory.Publish(g => PublishGuardHolds(message, g), () => message.State, s => message.State = s, Observe, _tables);
        }

        _metrics.Accepted();
        message.Node = _held.AddLast(message);
        PumpOutbound();
    }

    private void OnPublishCancelled(OutboundMessage message)
    {
        if (message.Node is null)
        {
            return;
        }

        if (message.Machine is null)
        {
            // QoS 0, not yet written: nothing was promised, just drop it.
            Forget(message);
            message.Completion.TrySetCanceled(message.CallerToken);
            return;
        }

        FirePublish(message, PublishTrigger.Cancel);
    }

    /// <summary>Sends what the link and the in-flight window allow, strictly in acceptance order.</summary>
    private void PumpOutbound()
    {
        if (_connection.State != ConnectionState.Connected)
        {
            return;
        }

        LinkedListNode<OutboundMessage>? node = _held.First;
        while (node is not null && _connection.State == ConnectionState.Connected)
        {
            OutboundMessage message = node.Value;
            node = node.Next;
            if (message.Machine is null)
            {
                Send(message.ToPacket(dup: false));
                Forget(message);
                message.Completion.TrySetResult();
                continue;
            }

            if (message.State == PublishState.AwaitingPubAck)
            {
                continue;
            }

            if (_awaitingPubAck >= _options.MaxInflight)
            {
                break;
            }

            if (message.PacketId == 0)
            {
                message.PacketId = _packetIds.Take();
                _inFlight.Add(message.PacketId, message);
            }

            FirePublish(message, PublishTrigger.Transmit);
        }
    }

    private bool PublishGuardHolds(OutboundMessage message, PublishGuard guard) => guard switch
    {
        PublishGuard.RepublishesLeft => message.RepublishesOnLink < _options.MaxRepublishes,
        PublishGuard.RepublishesExhausted => message.RepublishesOnLink >= _options.MaxRepublishes,
        _ => true,
    };

    private void FirePublish(OutboundMessage message, PublishTrigger trigger)
    {
        PublishState before = message.State;
        var row = message.Machine!.Fire(trigger);
        _awaitingPubAck += (row.To == PublishState.AwaitingPubAck ? 1 : 0) - (before == PublishState.AwaitingPubAck ? 1 : 0);
        switch (row.Effect)
        {
            case PublishEffect.None: break;
            case PublishEffect.SendPublish: Transmit(message, dup: false, before); break;
            case PublishEffect.SendPublishDup: Transmit(message, dup: true, before); break;
            case PublishEffect.CompletePublish:
                _metrics.Acknowledged();
                Forget(message);
                message.Completion.TrySetResult();
                break;
            case PublishEffect.DeclareLinkDead:
                FireConnection(ConnectionTrigger.RepublishLimitReached, $"no PUBACK for packet {message.PacketId} after {_options.MaxRepublishes} re-sends");
                break;
            case PublishEffect.Withdraw:
                Forget(message);
                message.Completion.TrySetCanceled(message.CallerToken);
                break;
            case PublishEffect.DetachCaller:
                message.CallerDetached = true;
                message.Completion.TrySetCanceled(message.CallerToken);
                break;
            default: throw new InvalidOperationException($"Publish effect {row.Effect} has no binding in core/.");
        }
    }

    private void Transmit(OutboundMessage message, bool dup, PublishState before)
    {
        // A re-send on the same link counts against MaxRepublishes; the first send on a new link starts afresh.
        message.RepublishesOnLink = before == PublishState.AwaitingPubAck ? message.RepublishesOnLink + 1 : 0;
        message.Sends++;
        if (dup)
        {
            _metrics.Resent();
        }

        message.Deadline = _time.GetUtcNow() + _options.ResponseTime;
        Send(message.ToPacket(dup));
        ArmResponseTimer();
    }

    private void OnPubAck(PubAckPacket pubAck)
    {
        if (_inFlight.TryGetValue(pubAck.PacketId, out OutboundMessage? message))
        {
            FirePublish(message, PublishTrigger.PubAck);
            PumpOutbound();
        }
    }

    /// <summary>The link closed: every QoS 1 flow hears LinkLost (in order), so sent ones will be re-sent with DUP.</summary>
    private void OnLinkLostForFlows()
    {
        foreach (OutboundMessage message in _held.ToArray())
        {
            if (message.Machine is not null)
            {
                FirePublish(message, PublishTrigger.LinkLost);
            }
        }

        foreach (PendingRequest pending in _requests)
        {
            ReleaseRequestId(pending);
        }

        CancelResponseTimer();
    }

    /// <summary>Ends a message's life in the client: releases its identifier and its caller's registration.</summary>
    private void Forget(OutboundMessage message)
    {
        if (message.Node is { } node)
        {
            _held.Remove(node);
            message.Node = null;
        }

        if (message.PacketId != 0)
        {
            _inFlight.Remove(message.PacketId);
            _packetIds.Release(message.PacketId);
        }

        message.Cancellation.Dispose();
    }
}
