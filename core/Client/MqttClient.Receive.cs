using Microsoft.Extensions.Logging;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt;

/// <summary>Packets from the broker: dispatch, inbound QoS 1 / 2, and delivery to the application's queue.</summary>
public sealed partial class MqttClient
{
    private readonly HashSet<ushort> _inboundQos2 = [];
    private readonly Queue<(MqttMessage Message, MqttPacket? Ack, int Generation)> _undelivered = new();

    private void OnPacket(MqttPacket packet)
    {
        // Any packet proves the link is alive (I5 counts silence, not missing PINGRESPs).
        _lastReceived = _time.GetUtcNow();
        FireKeepAlive(KeepAliveTrigger.PacketReceived);

        if (_connection.State == ConnectionState.AwaitingConnAck)
        {
            if (packet is ConnAckPacket connAck)
            {
                OnConnAck(connAck);
            }
            else
            {
                FireConnection(ConnectionTrigger.ProtocolViolation, $"the broker sent {packet.Type} before CONNACK [MQTT-3.2.0-1]");
            }

            return;
        }

        switch (packet)
        {
            case PublishPacket publish: OnInboundPublish(publish); break;
            case PubAckPacket pubAck: OnPubAck(pubAck); break;
            case SubAckPacket subAck: OnRequestAck(subAck.PacketId, subAck.ReturnCodes); break;
            case UnsubAckPacket unsubAck: OnRequestAck(unsubAck.PacketId, null); break;
            case PubRelPacket pubRel: OnPubRel(pubRel); break;
            case PingRespPacket: break;
            case PubRecPacket or PubCompPacket:
                // This client never publishes at QoS 2, so these answer nothing of ours; harmless, so not fatal.
                _logger.LogWarning("Ignoring {Type} for packet {PacketId}: this client does not publish at QoS 2.", packet.Type, ((IHasPacketId)packet).PacketId);
                break;
            default:
                FireConnection(ConnectionTrigger.ProtocolViolation, $"the broker sent {packet.Type}, which only a client may send");
                break;
        }
    }

    private void OnInboundPublish(PublishPacket publish)
    {
        var message = new MqttMessage(publish.Topic, publish.Payload, publish.QualityOfService, publish.Retain, publish.Dup);
        switch (publish.QualityOfService)
        {
            case MqttQualityOfService.AtMostOnce:
                Deliver(message, null);
                break;
            case MqttQualityOfService.AtLeastOnce:
                Deliver(message, new PubAckPacket(publish.PacketId));
                break;
            default:
                // Exactly once: deliver on first receipt, acknowledge every receipt with PUBREC until PUBREL [MQTT-4.3.3-2].
                if (_inboundQos2.Add(publish.PacketId))
                {
                    Deliver(message, new PubRecPacket(publish.PacketId));
                }
                else
                {
                    Send(new PubRecPacket(publish.PacketId));
                }

                break;
        }
    }

    private void OnPubRel(PubRelPacket pubRel)
    {
        _inboundQos2.Remove(pubRel.PacketId);
        Send(new PubCompPacket(pubRel.PacketId));
    }

    /// <summary>
    /// Queues a message for the application and acknowledges it once queued. When the queue is full, messages wait here,
    /// unacknowledged, so the broker's flow control holds back the rest; QoS 0 beyond twice the queue length is dropped and logged.
    /// </summary>
    private void Deliver(MqttMessage message, MqttPacket? ack)
    {
        if (_undelivered.Count == 0 && _messages.Writer.TryWrite(message))
        {
            _metrics.Received();
            if (ack is not null)
            {
                Send(ack);
            }

            return;
        }

        if (ack is null && _undelivered.Count >= _options.ReceiveQueueLength)
        {
            _metrics.Dropped();
            _logger.LogWarning("Dropped a QoS 0 message on {Topic}: the application is not reading messages fast enough.", message.Topic);
            return;
        }

        _metrics.Received();
        _undelivered.Enqueue((message, ack, _generation));
        _undeliveredCount = _undelivered.Count;
    }

    private void DeliverUndelivered()
    {
        while (_undelivered.TryPeek(out var entry) && _messages.Writer.TryWrite(entry.Message))
        {
            _undelivered.Dequeue();
            // An acknowledgement belongs to the link the message came on; after a reconnect the broker re-sends it instead.
            if (entry.Ack is not null && entry.Generation == _generation)
            {
                Send(entry.Ack);
            }
        }

        _undeliveredCount = _undelivered.Count;
    }

    /// <summary>Ends every pending call: disposal or an internal failure.</summary>
    private void ShutdownEverything(Exception reason)
    {
        bool wasUp = _linkUp;
        _linkUp = false;
        _isConnected = false;
        CancelConnecting();
        _link?.Close(_scheduler);
        _link = null;
        _generation++;
        CancelConnectionTimer();
        DisarmKeepAliveTimer();
        CancelResponseTimer();
        if (wasUp)
        {
            RaiseConnectionChanged(false, "disposed");
        }

        foreach (var waiter in _connectWaiters)
        {
            waiter.TrySetException(reason);
        }

        foreach (var message in _held.ToArray())
        {
            Forget(message);
            message.Completion.TrySetException(reason);
        }

        foreach (var pending in _requests)
        {
            pending.Cancellation.Dispose();
            pending.Completion.TrySetException(reason);
        }

        _connectWaiters.Clear();
        _requests.Clear();
        CompleteDisconnectWaiters();
        _messages.Writer.TryComplete();
    }
}
