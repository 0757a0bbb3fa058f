using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Channels;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt.TestKit.Proxy;

/// <summary>
/// One client connection through a <see cref="FaultProxy"/>: the client's socket, the proxy's socket to the broker,
/// and a pump each way that cuts the byte stream into MQTT packets so faults land on packet boundaries.
/// Faults set here affect this connection only.
/// </summary>
#pragma warning disable CA1001 // _stop is cancelled and disposed when the pumps end (RunAsync); the owner is FaultProxy
public sealed class ProxyConnection
#pragma warning restore CA1001
{
    /// <summary>Largest packet the proxy will frame; MQTT's own limit is 256 MB, the tests and demo need far less.</summary>
    private const int MaximumPacketSize = 16 * 1024 * 1024;

    /// <summary>How long a cut waits for the PUBACK it is meant to swallow before cutting anyway.</summary>
    private static readonly TimeSpan CutFallback = TimeSpan.FromSeconds(2);

    private readonly Socket _client;
    private readonly Socket _broker;
    private readonly FaultProxy _owner;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private ProxyDirection _blackholed;
    private TimeSpan _delayToBroker;
    private TimeSpan _delayToClient;
    private ProxySide _killed;
    private bool _cutArmed;
    private PendingCut? _pendingCut;

    internal ProxyConnection(int id, Socket client, Socket broker, FaultProxy owner, TimeProvider time)
    {
        Id = id;
        _client = client;
        _broker = broker;
        _owner = owner;
        _time = time;
        Completion = RunAsync();
    }

    /// <summary>1 for the proxy's first connection, then 2, 3…</summary>
    public int Id { get; }

    /// <summary>Completes when both pumps have stopped and both sockets are closed.</summary>
    public Task Completion { get; }

    /// <summary>True until both pumps have stopped.</summary>
    public bool IsOpen => !Completion.IsCompleted;

    /// <summary>Directions currently swallowed by <see cref="Blackhole"/>.</summary>
    public ProxyDirection Blackholed
    {
        get
        {
            lock (_gate)
            {
                return _blackholed;
            }
        }
    }

    /// <summary>Aborts the chosen sockets with RST (linger 0, then close): the peer sees ECONNRESET. An untouched side stays open.</summary>
    public void Reset(ProxySide sides = ProxySide.Both) => Kill(sides, abort: true);

    /// <summary>Closes the chosen sockets gracefully (FIN): the peer sees end of stream. An untouched side stays open.</summary>
    public void Close(ProxySide sides = ProxySide.Both) => Kill(sides, abort: false);

    /// <summary>
    /// Stops forwarding in <paramref name="directions"/> while keeping both sockets open: packets are read and dropped,
    /// and neither end hears of it — a half-open link, as when a NAT forgets the flow or Wi-Fi drops out.
    /// </summary>
    public void Blackhole(ProxyDirection directions = ProxyDirection.Both)
    {
        lock (_gate)
        {
            _blackholed |= directions;
        }
    }

    /// <summary>Delays every packet in <paramref name="directions"/> by <paramref name="delay"/> (order kept); zero removes it.</summary>
    public void Delay(ProxyDirection directions, TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        lock (_gate)
        {
            if (directions.HasFlag(ProxyDirection.ClientToBroker))
            {
                _delayToBroker = delay;
            }

            if (directions.HasFlag(ProxyDirection.BrokerToClient))
            {
                _delayToClient = delay;
            }
        }
    }

    /// <summary>Arms a cut on this connection: see <see cref="FaultProxy.CutNextPublish"/>.</summary>
    public void CutNextPublish()
    {
        lock (_gate)
        {
            _cutArmed = true;
        }
    }

    /// <summary>Removes blackholes, delays and an armed cut. Closed sockets stay closed.</summary>
    public void Heal()
    {
        lock (_gate)
        {
            _blackholed = ProxyDirection.None;
            _delayToBroker = TimeSpan.Zero;
            _delayToClient = TimeSpan.Zero;
            _cutArmed = false;
        }
    }

    /// <summary>Resets both sides and waits for the pumps to stop.</summary>
    internal async Task StopAsync()
    {
        Reset();
        await Completion.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        await Task.Yield(); // return the connection to the accept loop before pumping
        try
        {
            await Task.WhenAll(PumpAsync(ProxyDirection.ClientToBroker), PumpAsync(ProxyDirection.BrokerToClient)).ConfigureAwait(false);
        }
        finally
        {
            // Also after a throwing event handler: never leave sockets behind.
            _client.Dispose();
            _broker.Dispose();
            await _stop.CancelAsync().ConfigureAwait(false); // ends a fallback cut timer
            _stop.Dispose();
            _owner.OnConnectionClosed(this);
        }
    }

    private Socket Source(ProxyDirection direction) => direction == ProxyDirection.ClientToBroker ? _client : _broker;

    private Socket Destination(ProxyDirection direction) => direction == ProxyDirection.ClientToBroker ? _broker : _client;

    private static ProxySide SourceSide(ProxyDirection direction) => direction == ProxyDirection.ClientToBroker ? ProxySide.Client : ProxySide.Broker;

    private static ProxySide DestinationSide(ProxyDirection direction) => direction == ProxyDirection.ClientToBroker ? ProxySide.Broker : ProxySide.Client;

    // Reads packets from one socket into a queue; a second loop writes them out after any delay. Splitting the two lets a
    // delay be latency (every packet late by the same amount) instead of throttling.
    private async Task PumpAsync(ProxyDirection direction)
    {
        var queue = Channel.CreateUnbounded<(MqttFrame Frame, DateTimeOffset Due)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var writer = WriteLoopAsync(direction, queue.Reader);
        Exception? aborted = null;
        try
        {
            var stream = new NetworkStream(Source(direction), ownsSocket: false);
            await using (stream.ConfigureAwait(false))
            {
                var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
                while (true)
                {
                    var result = await reader.ReadAsync(_stop.Token).ConfigureAwait(false);
                    var buffer = result.Buffer;
                    var now = _time.GetUtcNow();
                    MqttFrame.ReadStatus status;
                    while ((status = MqttFrame.TryRead(ref buffer, MaximumPacketSize, out var frame)) == MqttFrame.ReadStatus.Complete)
                    {
                        if (ShouldDrop(direction, frame!))
                        {
                            _owner.OnPacketDropped(this, direction, frame!);
                            continue;
                        }

                        queue.Writer.TryWrite((frame!, now + DelayOf(direction)));
                    }

                    reader.AdvanceTo(buffer.Start, buffer.End);
                    if (status == MqttFrame.ReadStatus.Malformed)
                    {
                        Reset(); // garbage on either side ends the whole connection
                        throw new InvalidDataException($"Connection {Id}: {direction} stream is not MQTT; resetting.");
                    }

                    if (result.IsCompleted)
                    {
                        break; // the peer sent FIN
                    }
                }

                await reader.CompleteAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidDataException)
        {
            aborted = e;
        }

        bool killedHere;
        lock (_gate)
        {
            killedHere = _killed.HasFlag(SourceSide(direction));
        }

        // A side the proxy killed on purpose ends quietly; a peer's reset or garbage is passed on as a reset.
        queue.Writer.TryComplete(aborted is null || killedHere ? null : aborted);
        await writer.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync(ProxyDirection direction, ChannelReader<(MqttFrame Frame, DateTimeOffset Due)> queue)
    {
        var destination = Destination(direction);
        bool destinationAlive = true;
        try
        {
            await foreach (var (frame, due) in queue.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                var wait = due - _time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, _stop.Token).ConfigureAwait(false);
                }

                if (!destinationAlive || IsBlackholed(direction))
                {
                    _owner.OnPacketDropped(this, direction, frame);
                    continue;
                }

                BeforeForward(direction, frame);
                _owner.OnPacketForwarding(this, direction, frame);
                try
                {
                    await destination.SendAsync(frame.Bytes, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
                {
                    destinationAlive = false; // keep draining the source so its peer is not blocked
                    _owner.OnPacketDropped(this, direction, frame);
                    continue;
                }

                _owner.OnPacketForwarded(this, direction, frame);
                if (_owner.ThrottleOf(direction) is > 0 and var rate)
                {
                    // The line is busy for the packet's transmission time; what comes next waits in the queue.
                    await Task.Delay(TimeSpan.FromSeconds(frame.Bytes.Length / (double)rate), _time, _stop.Token).ConfigureAwait(false);
                }
            }

            bool sourceKilled;
            lock (_gate)
            {
                sourceKilled = _killed.HasFlag(SourceSide(direction));
            }

            if (destinationAlive && !sourceKilled && !IsBlackholed(direction))
            {
                ShutdownSend(destination); // pass the peer's FIN on
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidDataException)
        {
            if (!IsBlackholed(direction))
            {
                Kill(DestinationSide(direction), abort: true); // pass the peer's reset on
            }
        }
    }

    private bool IsBlackholed(ProxyDirection direction)
    {
        lock (_gate)
        {
            return _blackholed.HasFlag(direction);
        }
    }

    private TimeSpan DelayOf(ProxyDirection direction)
    {
        lock (_gate)
        {
            var own = direction == ProxyDirection.ClientToBroker ? _delayToBroker : _delayToClient;
            var standing = _owner.DelayOf(direction);
            return own > standing ? own : standing;
        }
    }

    // Read side: blackholes, and the packets a pending cut swallows (everything back to the client, the awaited PUBACK last).
    private bool ShouldDrop(ProxyDirection direction, MqttFrame frame)
    {
        PendingCut? completed = null;
        lock (_gate)
        {
            if (_blackholed.HasFlag(direction))
            {
                return true;
            }

            if (direction == ProxyDirection.BrokerToClient && _pendingCut is { } cut)
            {
                if (frame.Type is MqttPacketType.PubAck or MqttPacketType.PubRec && frame.PacketIdentifier == cut.PacketIdentifier)
                {
                    _pendingCut = null;
                    completed = cut;
                }
                else
                {
                    return true;
                }
            }
        }

        if (completed is { } done)
        {
            Cut(done);
            return true;
        }

        return false;
    }

    // Write side, client to broker: a QoS > 0 PUBLISH meets an armed cut. The cut is pending before the PUBLISH leaves, so
    // its PUBACK cannot slip through ahead of it.
    private void BeforeForward(ProxyDirection direction, MqttFrame frame)
    {
        if (direction != ProxyDirection.ClientToBroker || frame.Type != MqttPacketType.Publish || frame.PacketIdentifier is not { } id)
        {
            return;
        }

        PendingCut cut;
        lock (_gate)
        {
            if (_pendingCut is not null)
            {
                return;
            }

            TaskCompletionSource<ushort>? waiter = null;
            if (!_cutArmed && !_owner.TryTakeCut(out waiter))
            {
                return;
            }

            _cutArmed = false;
            cut = new PendingCut(id, waiter);
            _pendingCut = cut;
        }

        _ = FallbackCutAsync(cut);
    }

    private async Task FallbackCutAsync(PendingCut cut)
    {
        try
        {
            await Task.Delay(CutFallback, _time, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The connection closed first (a keepalive or response timeout under load, a reset): its PUBACK never got back
            // either, which is the cut asked for; cancelling here failed the demo on a loaded machine.
            cut.Waiter?.TrySetResult(cut.PacketIdentifier);
            return;
        }

        lock (_gate)
        {
            if (!ReferenceEquals(_pendingCut, cut))
            {
                return;
            }

            _pendingCut = null;
        }

        Cut(cut);
    }

    private void Cut(PendingCut cut)
    {
        Reset();
        _owner.OnCut(this, cut.PacketIdentifier);
        cut.Waiter?.TrySetResult(cut.PacketIdentifier);
    }

    private void Kill(ProxySide sides, bool abort)
    {
        lock (_gate)
        {
            _killed |= sides;
        }

        if (sides.HasFlag(ProxySide.Client))
        {
            CloseSocket(_client, abort);
        }

        if (sides.HasFlag(ProxySide.Broker))
        {
            CloseSocket(_broker, abort);
        }
    }

    private static void CloseSocket(Socket socket, bool abort)
    {
        try
        {
            if (abort)
            {
                socket.LingerState = new LingerOption(true, 0); // close now sends RST
            }
            else
            {
                socket.Shutdown(SocketShutdown.Both);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // already closed: nothing to send
        }

        socket.Close();
    }

    private static void ShutdownSend(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // the other side is gone already
        }
    }

    private sealed record PendingCut(ushort PacketIdentifier, TaskCompletionSource<ushort>? Waiter);
}
