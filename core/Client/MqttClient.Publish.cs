using System.Globalization;
using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt;

/// <summary>Publish calls: handed to the engine's bounded queue, or waiting for room there in order (OutboundOverflowPolicy.Wait).</summary>
public sealed partial class MqttClient
{
    // PublishAsync's parameter to blame: the refusal is made on the loop, away from the call (CA2208 cannot see that).
    private static readonly string PayloadParameter = "payload";

    private readonly LinkedList<PublishCall> _waitingForRoom = new();

    private void OnPublishCommand(PublishCall call, long now)
    {
        if (call.CallerToken.IsCancellationRequested)
        {
            // Cancelled on its way to the loop: never accepted.
            call.Cancellation.Dispose();
            call.Cancel();
            return;
        }

        if (!_engine.FitsOutbound(call.Message))
        {
            // Refused before it waits for room: it could never be sent, however long it waited.
            call.Cancellation.Dispose();
            call.Fail(TooLarge(call.Message));
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
                call.Fail(new InvalidOperationException(
                    $"The outbound queue is full (MaxQueuedMessages = {_options.MaxQueuedMessages}, MaxQueuedBytes = {_options.MaxQueuedBytes}) and OutboundOverflow is Reject. " +
                    "Publish more slowly, raise the bounds, or choose OutboundOverflowPolicy.Wait."));
                return true;
            case AdmitVerdict.TooLarge:
                call.Cancellation.Dispose();
                call.Fail(TooLarge(call.Message));
                return true;
            default:
                return true;
        }
    }

    /// <summary>What a publish the engine refused as too large says: its size, the limit, and what to change.</summary>
    private ArgumentException TooLarge(OutboundMessage message)
    {
        long size = SessionEngine.PublishPacketSize(message);
        string what = string.Create(CultureInfo.InvariantCulture,
            $"The PUBLISH to \"{message.Topic}\" would be {size:N0} bytes on the wire ({message.Payload.Length:N0} payload bytes)");
        long broker = _engine.BrokerMaximumPacketSize;
        return new ArgumentException(size > PacketSizeRules.MaximumPacketSize
            ? what + string.Create(CultureInfo.InvariantCulture,
                $", more than MQTT can carry: at most {PacketSizeRules.MaximumRemainingLength:N0} bytes may follow a packet's fixed header [MQTT-2.2.3]. Send a smaller payload (split it, or send a reference to where it is stored).")
            : broker > 0 && broker < _options.MaximumPacketSize
            ? what + string.Create(CultureInfo.InvariantCulture,
                $", more than the broker's Maximum Packet Size ({broker:N0} bytes, from its CONNACK), so it was not sent [MQTT-3.2.2-15]. Send a smaller payload (fewer properties, a shorter topic), or raise the broker's limit (Mosquitto: max_packet_size).")
            : what + string.Create(CultureInfo.InvariantCulture,
                $", more than MaximumPacketSize ({_options.MaximumPacketSize:N0} bytes), which bounds the packets this client sends as well as those it accepts. It was not sent: a peer with that limit would close the link over it. Send a smaller payload, or raise MqttClientOptions.MaximumPacketSize (the broker, and every subscriber, must accept packets that large too)."),
            PayloadParameter);
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
            call.Cancel();
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
