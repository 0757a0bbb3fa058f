using StateMachineMqtt.Engine;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt;

/// <summary>Received messages: moved from the engine into the reader's queue while it has room (the engine acknowledges each then).</summary>
public sealed partial class MqttClient
{
    private const string ReadMessagesAlreadyRead =
        "ReadMessagesAsync is already being read: a second concurrent reader would take every other message from the first. "
        + "Read it from one loop and dispatch from there (MqttTopicMatcher.IsMatch tells which filter a topic matches), "
        + "or give each consumer its own stream with SubscribeStreamAsync.";

    /// <summary>A reader took a message: if the engine holds more, the loop moves them now.</summary>
    private void OnMessageTaken()
    {
        if (_undeliveredCount > 0)
        {
            Post(new LoopEvent.AppConsumed());
        }
    }

    /// <summary>Moves what the reader's queue has room for; true when something moved (its acknowledgement is an action to carry out).</summary>
    private bool DeliverMessages()
    {
        bool moved = false;
        while (_engine.HasMessage && _messages.HasRoom)
        {
            InboundMessage taken = _engine.TakeMessage(Now())!;
            _messages.Add(new MqttMessage(taken.Topic, taken.Payload, (MqttQualityOfService)taken.Qos, taken.Retain, taken.Dup));
            moved = true;
        }

        _undeliveredCount = _engine.UndeliveredCount;
        return moved;
    }
}
