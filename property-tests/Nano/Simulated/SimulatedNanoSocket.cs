using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using StateMachineMqtt.Nano.Client;
using StateMachineMqtt.PropertyTests.Simulation;
using StateMachineMqtt.PropertyTests.Simulation.Network;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt.PropertyTests.Nano.Simulated;

/// <summary>
/// The device client's non-blocking socket over the shared simulated network: connects and flushes run as tasks on the
/// world's scheduler, and every call here only looks at how far they got, as lwIP's non-blocking socket would.
/// </summary>
internal sealed class SimulatedNanoSocket : INanoSocket
{
    private const int Ok = 0;
    private const int InProgress = (int)SocketError.InProgress;
    private const int WouldBlock = (int)SocketError.WouldBlock;

    private readonly SimulationWorld _world;
    private readonly SimulatedTransport _transport;
    private Task<IMqttLink>? _connecting;
    private CancellationTokenSource? _connectCancel;
    private IMqttLink? _link;
    private Task<FlushResult>? _flushing;
    private bool _flushOwed;
    private int _linkError;

    /// <summary>Creates a socket whose connects go through <paramref name="transport"/> on <paramref name="world"/>'s scheduler.</summary>
    public SimulatedNanoSocket(SimulationWorld world, SimulatedTransport transport)
    {
        _world = world;
        _transport = transport;
    }

    /// <inheritdoc />
    public int Connect(string host, int port)
    {
        Close();
        StartConnect();
        return InProgress;
    }

    /// <inheritdoc />
    public int Poll()
    {
        if (_link is not null)
        {
            return Ok;
        }

        if (_connecting is null)
        {
            return (int)SocketError.NotConnected;
        }

        if (!_connecting.IsCompleted)
        {
            return InProgress;
        }

        if (_connecting.IsCompletedSuccessfully)
        {
            _link = _connecting.Result;
            _connecting = null;
            return Ok;
        }

        int error = ErrorOf(_connecting.Exception);
        _connecting = null;
        if (error == InProgress)
        {
            // The network said EINPROGRESS: the handshake is still under way, so ask again (as the OS would keep trying).
            StartConnect();
        }

        return error;
    }

    /// <inheritdoc />
    public int Send(byte[] buffer, int offset, int count, out int sent)
    {
        sent = 0;
        if (_link is null)
        {
            return _linkError != Ok ? _linkError : (int)SocketError.NotConnected;
        }

        int pending = SettleFlush();
        if (pending != Ok)
        {
            return pending;
        }

        _link.Output.Write(buffer.AsSpan(offset, count));
        sent = count;
        return StartFlush() is var error && error != WouldBlock ? error : Ok;
    }

    /// <inheritdoc />
    public int Receive(byte[] buffer, int offset, int count, out int received)
    {
        received = 0;
        if (_link is null)
        {
            return _linkError != Ok ? _linkError : (int)SocketError.NotConnected;
        }

        if (_flushOwed || _flushing is { IsCompleted: true })
        {
            // Bytes a would-block flush left staged go out now, as a kernel send buffer drains by itself.
            _ = SettleFlush();
        }

        ReadResult result;
        try
        {
            if (!_link.Input.TryRead(out result))
            {
                return WouldBlock;
            }
        }
        catch (SocketException e)
        {
            return e.ErrorCode;
        }

        ReadOnlySequence<byte> data = result.Buffer;
        if (data.IsEmpty)
        {
            _link.Input.AdvanceTo(data.Start, data.End);
            return result.IsCompleted ? Ok : WouldBlock;
        }

        int take = (int)Math.Min(count, data.Length);
        data.Slice(0, take).CopyTo(buffer.AsSpan(offset, take));
        _link.Input.AdvanceTo(data.GetPosition(take));
        received = take;
        return Ok;
    }

    /// <inheritdoc />
    public void Close()
    {
        _connectCancel?.Cancel();
        _connectCancel?.Dispose();
        _connectCancel = null;
        if (_connecting is { IsCompletedSuccessfully: true })
        {
            _ = _connecting.Result.DisposeAsync().AsTask();
        }
        else
        {
            // A connect still under way is abandoned: its link, if it ever opens, is closed at once.
            _connecting?.ContinueWith(t => t.Result.DisposeAsync().AsTask(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, _world.Scheduler);
        }

        _connecting = null;
        _ = _link?.DisposeAsync().AsTask();
        _link = null;
        _flushing = null;
        _flushOwed = false;
        _linkError = Ok;
    }

    private void StartConnect()
    {
        _connectCancel = new CancellationTokenSource();
        CancellationToken token = _connectCancel.Token;
        _connecting = _world.Start(() => _transport.ConnectAsync(token).AsTask());
    }

    /// <summary>Ok when no flush is pending (or owed one went out), WouldBlock while one is, else the flush's error.</summary>
    private int SettleFlush()
    {
        if (_flushing is { } flushing)
        {
            if (!flushing.IsCompleted)
            {
                return WouldBlock;
            }

            _flushing = null;
            if (!flushing.IsCompletedSuccessfully)
            {
                _linkError = ErrorOf(flushing.Exception);
                return _linkError;
            }
        }

        return _flushOwed ? StartFlush() : Ok;
    }

    /// <summary>Flushes what is staged: Ok when done or under way, WouldBlock when the bytes stay staged, else the error.</summary>
    private int StartFlush()
    {
        _flushOwed = false;
        try
        {
            ValueTask<FlushResult> flush = _link!.Output.FlushAsync();
            if (flush.IsCompleted)
            {
                _ = flush.Result;
                return Ok;
            }

            _flushing = flush.AsTask();
            return Ok;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
            _flushOwed = true;
            return WouldBlock;
        }
        catch (SocketException e)
        {
            _linkError = e.ErrorCode;
            return _linkError;
        }
        catch (InvalidOperationException)
        {
            // The writer was completed (our end closed): like a send on a shut-down socket.
            _linkError = (int)SocketError.Shutdown;
            return _linkError;
        }
    }

    private static int ErrorOf(AggregateException? failure) =>
        failure?.GetBaseException() is SocketException e ? e.ErrorCode : (int)SocketError.ConnectionAborted;
}
