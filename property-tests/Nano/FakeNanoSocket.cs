using StateMachineMqtt.Nano.Client;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>
/// An in-memory non-blocking socket joined to a <see cref="FakeNanoBroker"/>. Connects report EINPROGRESS for a scripted
/// number of polls, then open or fail with a scripted code; a link can be reset (ECONNRESET) or made to answer
/// EWOULDBLOCK; everything else passes bytes straight through.
/// </summary>
internal sealed class FakeNanoSocket(FakeNanoBroker broker) : INanoSocket
{
    private readonly Queue<(int PendingPolls, int Result)> _connectScript = new();
    private int _pendingPolls;
    private int _connectResult;
    private bool _open;
    private bool _reset;

    /// <summary>Connect calls so far.</summary>
    public int Connects { get; private set; }

    /// <summary>Polls that report EINPROGRESS before a connect completes, when no script entry says otherwise.</summary>
    public int DefaultPendingPolls { get; set; } = 1;

    /// <summary>Sends still to answer with EWOULDBLOCK.</summary>
    public int SendsToBlock { get; set; }

    /// <summary>True while a connection is open.</summary>
    public bool IsOpen => _open && !_reset;

    /// <summary>Scripts the next connect: EINPROGRESS for <paramref name="pendingPolls"/> polls, then <paramref name="result"/> (0 = open).</summary>
    public void ScriptConnect(int pendingPolls, SocketErrorCode? result = null) => _connectScript.Enqueue((pendingPolls, result is null ? 0 : (int)result));

    /// <summary>The peer resets the connection: every later call on it reports ECONNRESET.</summary>
    public void Reset() => _reset = true;

    /// <inheritdoc />
    public int Connect(string host, int port)
    {
        Connects++;
        (_pendingPolls, _connectResult) = _connectScript.Count > 0 ? _connectScript.Dequeue() : (DefaultPendingPolls, 0);
        _open = false;
        _reset = false;
        return Complete();
    }

    /// <inheritdoc />
    public int Poll()
    {
        _pendingPolls--;
        return Complete();
    }

    /// <inheritdoc />
    public int Send(byte[] buffer, int offset, int count, out int sent)
    {
        sent = 0;
        if (_reset || !_open)
        {
            return (int)SocketErrorCode.ConnectionReset;
        }

        if (SendsToBlock > 0)
        {
            SendsToBlock--;
            return (int)SocketErrorCode.WouldBlock;
        }

        broker.Receive(buffer.AsSpan(offset, count));
        sent = count;
        return 0;
    }

    /// <inheritdoc />
    public int Receive(byte[] buffer, int offset, int count, out int received)
    {
        received = 0;
        if (_reset || !_open)
        {
            return (int)SocketErrorCode.ConnectionReset;
        }

        if (broker.Silent || broker.ToDevice.Count == 0)
        {
            return (int)SocketErrorCode.WouldBlock;
        }

        while (received < count && broker.ToDevice.Count > 0)
        {
            buffer[offset + received++] = broker.ToDevice.Dequeue();
        }

        return 0;
    }

    /// <inheritdoc />
    public void Close() => _open = false;

    private int Complete()
    {
        if (_pendingPolls > 0)
        {
            return (int)SocketErrorCode.InProgress;
        }

        if (_connectResult == 0)
        {
            _open = true;
            broker.Accept();
        }

        return _connectResult;
    }
}
