using System.IO.Pipelines;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt.Benchmarks.InMemory;

/// <summary>
/// An <see cref="IMqttTransport"/> whose one link is a pair of in-memory pipes with a <see cref="ScriptedBroker"/> at the
/// far end: the client's real code runs, with no socket and no kernel in the measurement. (The tests' SimulatedTransport
/// schedules every step deterministically, which is what tests want and what a benchmark must not pay for.)
/// </summary>
public sealed class InMemoryTransport : IMqttTransport
{
    private static readonly PipeOptions Options = new(pauseWriterThreshold: 0, useSynchronizationContext: false);

    /// <summary>The broker at the far end of the link last opened.</summary>
    public ScriptedBroker? Broker { get; private set; }

    /// <inheritdoc />
    public ValueTask<IMqttLink> ConnectAsync(CancellationToken cancellationToken)
    {
        var toBroker = new Pipe(Options);
        var toClient = new Pipe(Options);
        Broker = new ScriptedBroker(toBroker.Reader, toClient.Writer);
        return ValueTask.FromResult<IMqttLink>(new InMemoryLink(toClient.Reader, toBroker.Writer, Broker));
    }

    private sealed class InMemoryLink(PipeReader input, PipeWriter output, ScriptedBroker broker) : IMqttLink
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;

        public async ValueTask DisposeAsync()
        {
            await Output.CompleteAsync().ConfigureAwait(false);
            await Input.CompleteAsync().ConfigureAwait(false);
            await broker.DisposeAsync().ConfigureAwait(false);
        }
    }
}
