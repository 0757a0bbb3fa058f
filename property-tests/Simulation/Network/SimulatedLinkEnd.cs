using System.IO.Pipelines;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt.PropertyTests.Simulation.Network;

/// <summary>One end (client or broker) of a <see cref="SimulatedLink"/>. Disposing it closes that end with FIN and ends its own reads.</summary>
internal sealed class SimulatedLinkEnd : IMqttLink
{
    private readonly SimulatedLink _link;
    private readonly bool _isClient;
    private bool _disposed;

    internal SimulatedLinkEnd(SimulatedLink link, bool isClient, PipeReader input, PipeWriter output)
    {
        _link = link;
        _isClient = isClient;
        Input = input;
        Output = output;
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    public ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return ValueTask.CompletedTask;
        }

        _disposed = true;

        // Like closing a socket: our FIN goes out, and our own pending or later reads end (end of stream). The reader
        // is not completed here, so a read loop still running may AdvanceTo safely.
        Output.Complete();
        _link.OnEndDisposed(_isClient);
        return ValueTask.CompletedTask;
    }
}
