using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt.PropertyTests.Simulation.Network;

/// <summary>
/// One simulated TCP connection: two in-memory pipes (client to broker, broker to client) and the faults that can hit them.
/// Faults can be injected at any time from the test's driving thread.
/// </summary>
public sealed class SimulatedLink
{
    private const int ToBroker = 0;
    private const int ToClient = 1;

    private readonly Pipe _toBroker;
    private readonly Pipe _toClient;
    private readonly SimulationLog _log;
    private readonly TimeProvider _time;
    private readonly bool[] _wireEnded = new bool[2];
    private readonly DateTimeOffset[] _lastDue = new DateTimeOffset[2];
    private readonly ClientPacketTap? _tap;
    private SocketError? _pendingClientWriteError;
    private bool _wouldBlockNextClientWrite;
    private bool _stallClientWrites;
    private readonly List<TaskCompletionSource<FlushResult>> _stalledFlushes = [];

    internal SimulatedLink(int id, string transportName, PipeOptions options, SimulationLog log, IClientPacketObserver? observer, TimeProvider time, TimeSpan latency)
    {
        _time = time;
        Latency = latency;
        _tap = observer is null ? null : new ClientPacketTap(observer);
        Id = id;
        TransportName = transportName;
        _log = log;
        _toBroker = new Pipe(options);
        _toClient = new Pipe(options);
        ClientEnd = new SimulatedLinkEnd(this, isClient: true, _toClient.Reader, new SimulatedPipeWriter(this, _toBroker.Writer, fromClient: true));
        BrokerEnd = new SimulatedLinkEnd(this, isClient: false, _toBroker.Reader, new SimulatedPipeWriter(this, _toClient.Writer, fromClient: false));
    }

    /// <summary>Link number, 1-based in the order links were opened on the network.</summary>
    public int Id { get; }

    /// <summary>Name of the transport that opened the link (usually the client's name).</summary>
    public string TransportName { get; }

    /// <summary>
    /// One-way delay of every flush and FIN in virtual time (zero: delivered at once). Order is kept even when the latency
    /// is lowered; bytes still in flight are lost if the link resets, closes or goes half-open before they land.
    /// </summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Current state.</summary>
    public LinkState State { get; private set; } = LinkState.Open;

    /// <summary>The client's end, as returned by SimulatedTransport.ConnectAsync.</summary>
    public IMqttLink ClientEnd { get; }

    /// <summary>The broker's end.</summary>
    public IMqttLink BrokerEnd { get; }

    /// <summary>True once the client disposed its end.</summary>
    public bool ClientDisposed { get; private set; }

    /// <summary>True once the broker disposed its end.</summary>
    public bool BrokerDisposed { get; private set; }

    /// <summary>Bytes the client wrote that reached the broker's pipe.</summary>
    public long ClientBytesDelivered { get; private set; }

    /// <summary>Bytes the client wrote that the network swallowed (half-open or closed link).</summary>
    public long ClientBytesLost { get; private set; }

    /// <summary>Bytes the broker wrote that reached the client's pipe.</summary>
    public long BrokerBytesDelivered { get; private set; }

    /// <summary>Bytes the broker wrote that the network swallowed.</summary>
    public long BrokerBytesLost { get; private set; }

    /// <summary>RST: both ends' pending and later reads and writes fail with SocketException(ConnectionReset).</summary>
    public void Reset()
    {
        if (State == LinkState.Reset)
        {
            return;
        }

        State = LinkState.Reset;
        _log.Add("network", $"link {Id} ({TransportName}) reset");
        ReleaseStalledFlushes(reset: true);
        EndWire(ToBroker, new SocketException((int)SocketError.ConnectionReset));
        EndWire(ToClient, new SocketException((int)SocketError.ConnectionReset));
    }

    /// <summary>FIN both ways: each reader sees end of stream after the bytes already delivered; later writes are discarded.</summary>
    public void Close()
    {
        if (State is LinkState.Closed or LinkState.Reset)
        {
            return;
        }

        State = LinkState.Closed;
        _log.Add("network", $"link {Id} ({TransportName}) closed (FIN)");
        ReleaseStalledFlushes(reset: false);
        EndWire(ToBroker);
        EndWire(ToClient);
    }

    /// <summary>Blackhole: bytes silently stop flowing both ways; writes still succeed; no error ever surfaces.</summary>
    public void MakeHalfOpen()
    {
        if (State != LinkState.Open)
        {
            return;
        }

        State = LinkState.HalfOpen;
        _log.Add("network", $"link {Id} ({TransportName}) half-open: bytes stop flowing");
    }

    /// <summary>The client's next flush throws SocketException(WouldBlock) and keeps its bytes for the retry; the link stays up.</summary>
    public void WouldBlockNextClientWrite() => _wouldBlockNextClientWrite = true;

    /// <summary>
    /// From now on the client's flushes never complete (a send buffer that never drains), until the link is reset or
    /// closed by either end; their bytes are lost.
    /// </summary>
    public void StallClientWrites()
    {
        _stallClientWrites = true;
        _log.Add("network", $"link {Id} ({TransportName}) client writes stall");
    }

    internal bool TakeWouldBlock(bool fromClient)
    {
        if (!fromClient || !_wouldBlockNextClientWrite || State != LinkState.Open)
        {
            return false;
        }

        _wouldBlockNextClientWrite = false;
        _log.Add("network", $"link {Id} ({TransportName}) client write would block");
        return true;
    }

    private void ReleaseStalledFlushes(bool reset)
    {
        foreach (TaskCompletionSource<FlushResult> flush in _stalledFlushes)
        {
            if (reset)
            {
                flush.TrySetException(new SocketException((int)SocketError.ConnectionReset));
            }
            else
            {
                flush.TrySetResult(new FlushResult(isCanceled: false, isCompleted: true));
            }
        }

        _stalledFlushes.Clear();
    }

    /// <summary>The client's next flush throws SocketException(<paramref name="error"/>) and the link is reset (e.g. ConnectionAborted, TimedOut).</summary>
    public void FailNextClientWrite(SocketError error) => _pendingClientWriteError = error;

    /// <inheritdoc />
    public override string ToString() => $"link {Id} ({TransportName}, {State})";

    internal SocketError? TakeWriteError(bool fromClient)
    {
        if (!fromClient || _pendingClientWriteError is not { } error || State != LinkState.Open)
        {
            return null;
        }

        _pendingClientWriteError = null;
        _log.Add("network", $"link {Id} ({TransportName}) client write fails with {error}");
        Reset();
        return error;
    }

    /// <summary>Decodes what the client flushed, whatever the link's state, and tells the observer.</summary>
    internal void TapClientBytes(ReadOnlySpan<byte> bytes) => _tap?.Observe(this, bytes);

    internal void CountDelivered(bool fromClient, int bytes)
    {
        if (fromClient)
        {
            ClientBytesDelivered += bytes;
        }
        else
        {
            BrokerBytesDelivered += bytes;
        }
    }

    internal void CountLost(bool fromClient, int bytes)
    {
        if (fromClient)
        {
            ClientBytesLost += bytes;
        }
        else
        {
            BrokerBytesLost += bytes;
        }
    }

    /// <summary>Sends one flush according to the link's state: delivered (now or after <see cref="Latency"/>), swallowed, or refused.</summary>
    internal ValueTask<FlushResult> Transmit(bool fromClient, ReadOnlySpan<byte> bytes, CancellationToken cancellationToken)
    {
        if (TakeWriteError(fromClient) is { } error)
        {
            throw new SocketException((int)error);
        }

        if (fromClient && _stallClientWrites && State is LinkState.Open or LinkState.HalfOpen)
        {
            CountLost(fromClient, bytes.Length);
            var stalled = new TaskCompletionSource<FlushResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            _stalledFlushes.Add(stalled);
            cancellationToken.Register(() => stalled.TrySetCanceled(cancellationToken));
            return new ValueTask<FlushResult>(stalled.Task);
        }

        switch (State)
        {
            case LinkState.Reset:
                throw new SocketException((int)SocketError.ConnectionReset);
            case LinkState.HalfOpen:
            case LinkState.Closed:
                CountLost(fromClient, bytes.Length);
                return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: State == LinkState.Closed));
        }

        int direction = fromClient ? ToBroker : ToClient;
        if (Latency > TimeSpan.Zero)
        {
            byte[] copy = bytes.ToArray();
            Later(direction, () => _ = Deliver(direction, copy, CancellationToken.None).AsTask());
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: false));
        }

        return Deliver(direction, bytes, cancellationToken);
    }

    internal void OnWriterCompleted(bool fromClient)
    {
        // A FIN travels only over a working link, behind the bytes already in flight; half-open swallows it.
        if (State != LinkState.Open)
        {
            return;
        }

        int direction = fromClient ? ToBroker : ToClient;
        _log.Add("network", $"link {Id} ({TransportName}) {(fromClient ? "client" : "broker")} sent FIN");
        if (Latency > TimeSpan.Zero)
        {
            Later(direction, () =>
            {
                if (State is not (LinkState.Reset or LinkState.HalfOpen))
                {
                    EndWire(direction);
                }
            });
        }
        else
        {
            EndWire(direction);
        }
    }

    internal void OnEndDisposed(bool isClient)
    {
        ReleaseStalledFlushes(reset: false);
        if (isClient)
        {
            ClientDisposed = true;
        }
        else
        {
            BrokerDisposed = true;
        }

        if (State is LinkState.Open or LinkState.HalfOpen)
        {
            State = LinkState.Closed;
        }

        // The disposing end's own pending and later reads see end of stream.
        EndWire(isClient ? ToClient : ToBroker);
    }

    private Pipe Wire(int direction) => direction == ToBroker ? _toBroker : _toClient;

    private ValueTask<FlushResult> Deliver(int direction, ReadOnlySpan<byte> bytes, CancellationToken cancellationToken)
    {
        bool fromClient = direction == ToBroker;
        if (_wireEnded[direction] || State is LinkState.Reset or LinkState.HalfOpen)
        {
            CountLost(fromClient, bytes.Length);
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: true));
        }

        CountDelivered(fromClient, bytes.Length);
        PipeWriter wire = Wire(direction).Writer;
        wire.Write(bytes);
        return wire.FlushAsync(cancellationToken);
    }

    private void Later(int direction, Action action)
    {
        // Never earlier than what is already in flight that way: TCP keeps order even when the latency drops.
        DateTimeOffset now = _time.GetUtcNow();
        DateTimeOffset due = now + Latency;
        if (due < _lastDue[direction])
        {
            due = _lastDue[direction];
        }

        _lastDue[direction] = due;
        _ = _time.CreateTimer(_ => action(), null, due - now, Timeout.InfiniteTimeSpan);
    }

    private void EndWire(int direction, Exception? error = null)
    {
        if (_wireEnded[direction])
        {
            return;
        }

        _wireEnded[direction] = true;
        Wire(direction).Writer.Complete(error);
    }
}
