using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt.PropertyTests.Simulation.Network;

/// <summary>
/// One simulated TCP connection: two in-memory pipes (client to broker, broker to client) and the faults that can hit them.
/// Faults can be injected at any time from the test's driving thread.
/// </summary>
public sealed class SimulatedLink
{
    private readonly Pipe _toBroker;
    private readonly Pipe _toClient;
    private readonly SimulationLog _log;
    private readonly IClientPacketObserver? _observer;
    private readonly ArrayBufferWriter<byte> _tap = new();
    private bool _tapBroken;
    private SocketError? _pendingClientWriteError;

    internal SimulatedLink(int id, string transportName, PipeOptions options, SimulationLog log, IClientPacketObserver? observer)
    {
        _observer = observer;
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
        _toBroker.Writer.Complete(new SocketException((int)SocketError.ConnectionReset));
        _toClient.Writer.Complete(new SocketException((int)SocketError.ConnectionReset));
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
        _toBroker.Writer.Complete();
        _toClient.Writer.Complete();
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
    internal void TapClientBytes(ReadOnlySpan<byte> bytes)
    {
        if (_observer is null || _tapBroken || bytes.IsEmpty)
        {
            return;
        }

        _tap.Write(bytes);
        var buffer = new ReadOnlySequence<byte>(_tap.WrittenMemory);
        var packets = new List<MqttPacket>();
        try
        {
            while (MqttPacketReader.TryRead(ref buffer, int.MaxValue, out MqttPacket? packet))
            {
                packets.Add(packet);
            }
        }
        catch (MqttProtocolException ex)
        {
            _tapBroken = true;
            _observer.OnClientMalformed(this, ex);
            return;
        }

        byte[] rest = buffer.ToArray();
        _tap.Clear();
        _tap.Write(rest);
        foreach (MqttPacket packet in packets)
        {
            _observer.OnClientPacket(this, packet);
        }
    }

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

    internal void OnWriterCompleted(bool fromClient, PipeWriter wire)
    {
        // A FIN travels only over a working link; half-open swallows it, reset/closed links already ended the wire.
        if (State == LinkState.Open)
        {
            wire.Complete();
            _log.Add("network", $"link {Id} ({TransportName}) {(fromClient ? "client" : "broker")} sent FIN");
        }
    }

    internal void OnEndDisposed(bool isClient)
    {
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

            // The disposing end's inbound wire ends, so its own pending read sees end of stream.
            (isClient ? _toClient : _toBroker).Writer.Complete();
        }
    }
}
