using System.Threading.Channels;
using StateMachineMqtt.Extensions.Hosting;

namespace StateMachineMqtt.PropertyTests.Hosting;

/// <summary>What the test handlers were given, in order: the handler's name and the message's topic and payload.</summary>
internal sealed class HandledMessages
{
    private readonly Channel<(string Handler, string Topic, string Payload)> _handled = Channel.CreateUnbounded<(string, string, string)>();

    public void Add(string handler, MqttMessage message) => _handled.Writer.TryWrite((handler, message.Topic, message.PayloadText));

    public ValueTask<(string Handler, string Topic, string Payload)> NextAsync(CancellationToken cancellationToken) => _handled.Reader.ReadAsync(cancellationToken);

    public bool TryNext(out (string Handler, string Topic, string Payload) handled) => _handled.Reader.TryRead(out handled);
}

/// <summary>Records every message it is given as "recording".</summary>
internal sealed class RecordingHandler(HandledMessages handled) : IMqttMessageHandler
{
    public Task HandleAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        handled.Add("recording", message);
        return Task.CompletedTask;
    }
}

/// <summary>Records every message it is given as "everything" (registered on a wider filter).</summary>
internal sealed class EverythingHandler(HandledMessages handled) : IMqttMessageHandler
{
    public Task HandleAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        handled.Add("everything", message);
        return Task.CompletedTask;
    }
}

/// <summary>Records the message as "throwing", then throws when its payload is "boom".</summary>
internal sealed class ThrowingHandler(HandledMessages handled) : IMqttMessageHandler
{
    public Task HandleAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        handled.Add("throwing", message);
        return message.PayloadText == "boom" ? throw new InvalidOperationException("the handler failed on purpose") : Task.CompletedTask;
    }
}
