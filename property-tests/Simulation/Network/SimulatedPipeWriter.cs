using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace StateMachineMqtt.PropertyTests.Simulation.Network;

/// <summary>
/// One end's output of a <see cref="SimulatedLink"/>. Bytes are staged until FlushAsync, which then applies the link's
/// state: forwarded while open, silently discarded while half-open or closed, SocketException(ConnectionReset) after a reset.
/// </summary>
internal sealed class SimulatedPipeWriter : PipeWriter
{
    private readonly SimulatedLink _link;
    private readonly PipeWriter _wire;
    private readonly bool _fromClient;
    private readonly ArrayBufferWriter<byte> _staging = new();
    private bool _completed;

    internal SimulatedPipeWriter(SimulatedLink link, PipeWriter wire, bool fromClient)
    {
        _link = link;
        _wire = wire;
        _fromClient = fromClient;
    }

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _staging.WrittenCount;

    public override void Advance(int bytes)
    {
        EnsureNotCompleted();
        _staging.Advance(bytes);
    }

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureNotCompleted();
        return _staging.GetMemory(sizeHint);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureNotCompleted();
        return _staging.GetSpan(sizeHint);
    }

    public override void CancelPendingFlush() => _wire.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        _staging.Clear();
        _link.OnWriterCompleted(_fromClient);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EnsureNotCompleted();
        if (_link.TakeWouldBlock(_fromClient))
        {
            // EWOULDBLOCK: nothing was sent, so the staged bytes stay for the retry.
            throw new SocketException((int)SocketError.WouldBlock);
        }

        try
        {
            ReadOnlySpan<byte> bytes = _staging.WrittenSpan;
            if (_fromClient)
            {
                _link.TapClientBytes(bytes);
            }

            return _link.Transmit(_fromClient, bytes, cancellationToken);
        }
        finally
        {
            _staging.Clear();
        }
    }

    private void EnsureNotCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("Writing is not allowed after the link's output was completed.");
        }
    }
}
