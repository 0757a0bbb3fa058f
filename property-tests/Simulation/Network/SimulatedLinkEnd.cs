using System.IO.Pipelines;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt.PropertyTests.Simulation.Network;

/// <summary>One end (client or broker) of a <see cref="SimulatedLink"/>. Disposing it closes that end with FIN.</summary>
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
        Output.Complete();
        Input.Complete();
        _link.OnEndDisposed(_isClient);
        return ValueTask.CompletedTask;
    }
}
