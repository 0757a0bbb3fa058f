using StateMachineMqtt.Engine;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt;

/// <summary>
/// Received messages: each moved from the engine into the queue of every subscription stream its topic matches, or else of
/// ReadMessagesAsync, once all of them have room (the engine acknowledges it then).
/// </summary>
public sealed partial class MqttClient
{
    private const string ReadMessagesAlreadyRead =
        "ReadMessagesAsync is already being read: a second concurrent reader would take every other message from the first. "
        + "Read it from one loop and dispatch from there (MqttTopicMatcher.IsMatch tells which filter a topic matches), "
        + "or give each consumer its own stream with SubscribeStreamAsync.";

    /// <summary>
    /// A reader took a message: the application has it now, so this is where its receive span is (on the reader's side);
    /// and if the engine holds more, the loop moves them now.
    /// </summary>
    private void OnMessageTaken(MqttMessage message)
    {
        MqttClientTracing.Received(message, ClientIdentifier, _time);
        Interlocked.MemoryBarrier(); // the room just made is visible before the count is read (see DeliverMessages)
        if (_undeliveredCount > 0)
        {
            Post(new LoopEvent.AppConsumed());
        }
    }

    /// <summary>
    /// Moves messages while their queues have room, oldest first; true when something moved (its acknowledgement is an
    /// action to carry out). A message whose queue is full stops the ones behind it too, so order per topic is kept (I9).
    /// </summary>
    private bool DeliverMessages()
    {
        bool moved = false;
        do
        {
            while (CanDeliverNext())
            {
                InboundMessage taken = _engine.TakeMessage(Now())!;
                var message = new MqttMessage(taken.Topic, taken.Payload, (MqttQualityOfService)taken.Qos, taken.Retain, taken.Dup)
                {
                    Properties = MessagePropertiesMapping.FromWire((MqttProperties?)taken.Properties),
                    PacketIdentifier = taken.Qos == 0 ? 0 : taken.PacketId,
                };
                foreach (ReceiveQueue target in _targets)
                {
                    target.Add(message);
                }

                moved = true;
            }

            // Published with a full fence, then the queues looked at again: a reader that made room meanwhile either sees
            // the count (and wakes the loop, OnMessageTaken) or its room is seen here, so no wake-up is lost.
            Interlocked.Exchange(ref _undeliveredCount, _engine.UndeliveredCount);
        }
        while (CanDeliverNext());

        return moved;
    }

    private bool CanDeliverNext() => _engine.PeekMessage() is { } next && CollectTargets(next.Topic);
}
