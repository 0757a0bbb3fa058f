using StateMachineMqtt.Engine;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt;

/// <summary>Received messages: moved from the engine into the reader's queue while it has room (the engine acknowledges each then).</summary>
public sealed partial class MqttClient
{
    /// <summary>Moves what the reader's queue has room for; true when something moved (its acknowledgement is an action to carry out).</summary>
    private bool DeliverMessages()
    {
        bool moved = false;
        while (_engine.HasMessage && _messages.Reader.Count < _options.ReceiveQueueLength)
        {
            InboundMessage taken = _engine.TakeMessage(Now())!;
            _messages.Writer.TryWrite(new MqttMessage(taken.Topic, taken.Payload, (MqttQualityOfService)taken.Qos, taken.Retain, taken.Dup));
            moved = true;
        }

        _undeliveredCount = _engine.UndeliveredCount;
        return moved;
    }
}
