using System.Net;
using System.Net.Sockets;

namespace StateMachineMqtt.TestKit.Proxy;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of an MQTT broker that injects network faults on MQTT packet boundaries:
/// resets (RST), closes (FIN), silent half-open links, latency, refused connections, and a link cut between a client's
/// PUBLISH and its PUBACK. Faults on the proxy hit every current connection; <see cref="Connections"/> gives each one
/// for faults of its own. Counts every packet forwarded and dropped, per direction and type.
/// </summary>
/// <example>
/// <code>
/// await using var proxy = FaultProxy.Start("127.0.0.1", brokerPort);
/// options.Port = proxy.Port;
/// proxy.Blackhole();            // the client's link goes silent
/// proxy.Heal();
/// await proxy.CutNextPublish(); // the broker has the PUBLISH, the client never sees its PUBACK
/// </code>
/// </example>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<ProxyConnection> _connections = [];
    private readonly HashSet<Task> _joining = [];
    private readonly Task _acceptLoop;
    private TaskCompletionSource<ushort>? _cut;
    private TimeSpan _delayToBroker;
    private TimeSpan _delayToClient;
    private int _throttleToBroker;
    private int _throttleToClient;
    private int _accepted;
    private volatile bool _refuse;

    private FaultProxy(string brokerHost, int brokerPort, TimeProvider time)
    {
        BrokerHost = brokerHost;
        BrokerPort = brokerPort;
        _time = time;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Starts a proxy on a free loopback port forwarding to <paramref name="brokerHost"/>:<paramref name="brokerPort"/>.</summary>
    /// <param name="brokerHost">The broker's host.</param>
    /// <param name="brokerPort">The broker's port.</param>
    /// <param name="timeProvider">Clock for delays and the cut's fallback; defaults to the system clock.</param>
    public static FaultProxy Start(string brokerHost, int brokerPort, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(brokerHost);
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerPort, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(brokerPort, 65535);
        return new FaultProxy(brokerHost, brokerPort, timeProvider ?? TimeProvider.System);
    }

    /// <summary>
    /// Raised on a pump's thread just before a packet is written to its destination. Unlike <see cref="PacketForwarded"/> it
    /// comes before the peer can answer, so a handler can map a PUBLISH's packet identifier before its PUBACK is seen.
    /// </summary>
    public event Action<ProxyConnection, ProxyDirection, MqttFrame>? PacketForwarding;

    /// <summary>Raised on a pump's thread after each packet is forwarded. Keep handlers short.</summary>
    public event Action<ProxyConnection, ProxyDirection, MqttFrame>? PacketForwarded;

    /// <summary>Raised on a pump's thread after a fault swallowed a packet. Keep handlers short.</summary>
    public event Action<ProxyConnection, ProxyDirection, MqttFrame>? PacketDropped;

    /// <summary>Raised when a client connection has been joined to the broker.</summary>
    public event Action<ProxyConnection>? ConnectionOpened;

    /// <summary>Raised when a connection's pumps have both stopped.</summary>
    public event Action<ProxyConnection>? ConnectionClosed;

    /// <summary>Raised when a cut fires, with the packet identifier of the PUBLISH whose PUBACK was swallowed.</summary>
    public event Action<ProxyConnection, ushort>? PublishCut;

    /// <summary>Where clients connect: 127.0.0.1 and a free port.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The port clients connect to.</summary>
    public int Port => EndPoint.Port;

    /// <summary>Broker host the proxy forwards to.</summary>
    public string BrokerHost { get; }

    /// <summary>Broker port the proxy forwards to.</summary>
    public int BrokerPort { get; }

    /// <summary>Packets forwarded and dropped so far.</summary>
    public ProxyCounters Counters { get; } = new();

    /// <summary>Connections accepted and joined to the broker so far.</summary>
    public int ConnectionsAccepted => Volatile.Read(ref _accepted);

    /// <summary>The connections open now.</summary>
    public IReadOnlyList<ProxyConnection> Connections
    {
        get
        {
            lock (_gate)
            {
                return [.. _connections];
            }
        }
    }

    /// <summary>While true, new connections are reset as soon as they are accepted (broker unreachable); Heal clears it.</summary>
    public bool RefuseConnections
    {
        get => _refuse;
        set => _refuse = value;
    }

    /// <summary>Resets (RST) the chosen sides of every open connection.</summary>
    public void ResetAll(ProxySide sides = ProxySide.Both) => ForEach(c => c.Reset(sides));

    /// <summary>Closes (FIN) the chosen sides of every open connection.</summary>
    public void CloseAll(ProxySide sides = ProxySide.Both) => ForEach(c => c.Close(sides));

    /// <summary>Makes every open connection half-open in <paramref name="directions"/>: sockets stay up, nothing gets through. New connections are not affected.</summary>
    public void Blackhole(ProxyDirection directions = ProxyDirection.Both) => ForEach(c => c.Blackhole(directions));

    /// <summary>Delays every packet in <paramref name="directions"/>, on open and future connections; zero removes it.</summary>
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

    /// <summary>
    /// Limits every connection's throughput in <paramref name="directions"/> to <paramref name="bytesPerSecond"/> (a slow or
    /// congested link: packets queue up in the proxy and arrive late, none is lost), on open and future connections; 0 removes it.
    /// </summary>
    public void Throttle(ProxyDirection directions, int bytesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytesPerSecond);
        lock (_gate)
        {
            if (directions.HasFlag(ProxyDirection.ClientToBroker))
            {
                _throttleToBroker = bytesPerSecond;
            }

            if (directions.HasFlag(ProxyDirection.BrokerToClient))
            {
                _throttleToClient = bytesPerSecond;
            }
        }
    }

    /// <summary>
    /// Arms a cut: the next QoS &gt; 0 PUBLISH from any client is forwarded to the broker, everything coming back on that
    /// connection is swallowed until the broker's PUBACK for it, and then the connection is reset — the broker has the
    /// message, the client never heard. (If no PUBACK comes within 2 s the link is cut anyway.) The task completes with
    /// the PUBLISH's packet identifier once cut.
    /// </summary>
    public Task<ushort> CutNextPublish()
    {
        lock (_gate)
        {
            _cut ??= new TaskCompletionSource<ushort>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _cut.Task;
        }
    }

    /// <summary>Clears every standing fault: blackholes, delays, throttles, refusals and an armed cut.</summary>
    public void Heal()
    {
        _refuse = false;
        TaskCompletionSource<ushort>? cut;
        lock (_gate)
        {
            _delayToBroker = TimeSpan.Zero;
            _delayToClient = TimeSpan.Zero;
            _throttleToBroker = 0;
            _throttleToClient = 0;
            cut = _cut;
            _cut = null;
        }

        cut?.TrySetCanceled();
        ForEach(c => c.Heal());
    }

    /// <summary>Stops listening, resets every connection and waits for the pumps to end.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // expected
        }

        Task[] joining;
        lock (_gate)
        {
            joining = [.. _joining];
        }

        await Task.WhenAll(joining).ConfigureAwait(false);
        await Task.WhenAll(Connections.Select(c => c.StopAsync())).ConfigureAwait(false);
        _stop.Dispose();
    }

    internal TimeSpan DelayOf(ProxyDirection direction)
    {
        lock (_gate)
        {
            return direction == ProxyDirection.ClientToBroker ? _delayToBroker : _delayToClient;
        }
    }

    /// <summary>The throttle in <paramref name="direction"/>, bytes per second; 0 when none.</summary>
    internal int ThrottleOf(ProxyDirection direction)
    {
        lock (_gate)
        {
            return direction == ProxyDirection.ClientToBroker ? _throttleToBroker : _throttleToClient;
        }
    }

    internal bool TryTakeCut(out TaskCompletionSource<ushort>? waiter)
    {
        lock (_gate)
        {
            waiter = _cut;
            _cut = null;
            return waiter is not null;
        }
    }

    internal void OnPacketForwarding(ProxyConnection connection, ProxyDirection direction, MqttFrame frame) =>
        PacketForwarding?.Invoke(connection, direction, frame);

    internal void OnPacketForwarded(ProxyConnection connection, ProxyDirection direction, MqttFrame frame)
    {
        Counters.CountForwarded(direction, frame.Type);
        PacketForwarded?.Invoke(connection, direction, frame);
    }

    internal void OnPacketDropped(ProxyConnection connection, ProxyDirection direction, MqttFrame frame)
    {
        Counters.CountDropped(direction, frame.Type);
        PacketDropped?.Invoke(connection, direction, frame);
    }

    internal void OnCut(ProxyConnection connection, ushort packetIdentifier) => PublishCut?.Invoke(connection, packetIdentifier);

    internal void OnConnectionClosed(ProxyConnection connection)
    {
        lock (_gate)
        {
            _connections.Remove(connection);
        }

        ConnectionClosed?.Invoke(connection);
    }

    private void ForEach(Action<ProxyConnection> fault)
    {
        foreach (var connection in Connections)
        {
            fault(connection);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return; // listener stopped
            }

            TrackJoin(client);
        }
    }

    // Joins run concurrently (a slow broker must not stall accepts); DisposeAsync waits for them before disposing _stop.
    private void TrackJoin(Socket client)
    {
        var join = JoinAsync(client);
        lock (_gate)
        {
            _joining.Add(join);
        }

        _ = join.ContinueWith(
            done =>
            {
                lock (_gate)
                {
                    _joining.Remove(done);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async Task JoinAsync(Socket client)
    {
        client.NoDelay = true;
        if (_refuse)
        {
            Abort(client);
            return;
        }

        var broker = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await broker.ConnectAsync(BrokerHost, BrokerPort, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Broker down: the client sees its connection reset, as if refused.
            broker.Dispose();
            Abort(client);
            return;
        }

        ProxyConnection connection;
        lock (_gate)
        {
            if (_stop.IsCancellationRequested)
            {
                Abort(client);
                broker.Dispose();
                return;
            }

            connection = new ProxyConnection(Interlocked.Increment(ref _accepted), client, broker, this, _time);
            _connections.Add(connection);
        }

        ConnectionOpened?.Invoke(connection);
    }

    private static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // already reset by the peer
        }

        socket.Dispose();
    }
}
