using System.IO.Pipelines;
using System.Net.Sockets;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt.PropertyTests.Simulation.Network;

/// <summary>
/// An in-memory network between simulated clients and one <see cref="ISimulatedServer"/>. Connect faults apply to every
/// later connect attempt and can be changed at any time; per-link faults live on <see cref="SimulatedLink"/>.
/// </summary>
internal sealed class SimulatedNetwork
{
    private readonly TimeProvider _time;
    private readonly SimulationLog _log;
    private readonly PipeOptions _pipeOptions;
    private readonly List<SimulatedLink> _links = [];
    private ISimulatedServer? _server;
    private IClientPacketObserver? _observer;

    /// <summary>
    /// Creates a network. Pipe continuations run on <paramref name="pipeScheduler"/> (the simulation queues them on its
    /// deterministic scheduler); backpressure is off so a flush never waits.
    /// </summary>
    public SimulatedNetwork(TimeProvider time, SimulationLog log, PipeScheduler pipeScheduler)
    {
        _time = time;
        _log = log;
        _pipeOptions = new PipeOptions(
            readerScheduler: pipeScheduler,
            writerScheduler: pipeScheduler,
            pauseWriterThreshold: 0,
            resumeWriterThreshold: 0,
            useSynchronizationContext: false);
    }

    /// <summary>How connect attempts fail, if at all.</summary>
    public ConnectFault ConnectFault { get; set; }

    /// <summary>The error ConnectAsync reports while <see cref="ConnectFault"/> is NetworkDown.</summary>
    public SocketError NetworkDownError { get; set; } = SocketError.NetworkUnreachable;

    /// <summary>The next this-many connect attempts (that pass <see cref="ConnectFault"/>) throw SocketException(InProgress), as a non-blocking connect reports EINPROGRESS.</summary>
    public int InProgressRemaining { get; set; }

    /// <summary>The next link's first client write (its CONNECT) reports EWOULDBLOCK once.</summary>
    public bool WouldBlockFirstWriteOfNextLink { get; set; }

    /// <summary>Virtual time a successful connect takes (zero: completes synchronously).</summary>
    public TimeSpan ConnectLatency { get; set; }

    /// <summary>One-way latency given to links opened from now on (see <see cref="SimulatedLink.Latency"/>).</summary>
    public TimeSpan LinkLatency { get; set; }

    /// <summary>Connect attempts made, successful or not.</summary>
    public int ConnectAttempts { get; private set; }

    /// <summary>Links opened so far.</summary>
    public int LinksOpened => _links.Count;

    /// <summary>Every link opened, in order.</summary>
    public IReadOnlyList<SimulatedLink> Links => _links;

    /// <summary>Links still open or half-open.</summary>
    public IEnumerable<SimulatedLink> LiveLinks => _links.Where(l => l.State is LinkState.Open or LinkState.HalfOpen);

    /// <summary>The most recently opened link, or null.</summary>
    public SimulatedLink? LastLink => _links.Count == 0 ? null : _links[^1];

    /// <summary>Sets the server that accepted links are handed to, and the observer of what clients send (often the same broker).</summary>
    public void Attach(ISimulatedServer server, IClientPacketObserver? observer = null)
    {
        _server = server;
        _observer = observer;
    }

    /// <summary>Creates a transport for one client; <paramref name="name"/> labels its links in the log.</summary>
    public SimulatedTransport CreateTransport(string name = "client") => new(this, name);

    /// <summary>Resets every live link (e.g. the Wi-Fi interface went down and the OS dropped its sockets).</summary>
    public void ResetAllLinks()
    {
        foreach (SimulatedLink link in LiveLinks.ToList())
        {
            link.Reset();
        }
    }

    /// <summary>Makes every open link half-open (e.g. a NAT forgot its flows).</summary>
    public void HalfOpenAllLinks()
    {
        foreach (SimulatedLink link in LiveLinks.ToList())
        {
            link.MakeHalfOpen();
        }
    }

    internal async ValueTask<IMqttLink> ConnectAsync(string transportName, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ConnectAttempts++;
        switch (ConnectFault)
        {
            case ConnectFault.NetworkDown:
                throw Fail(transportName, NetworkDownError);
            case ConnectFault.Refused:
                throw Fail(transportName, SocketError.ConnectionRefused);
            case ConnectFault.HostNotFound:
                throw Fail(transportName, SocketError.HostNotFound);
            case ConnectFault.Blackholed:
                _log.Add("network", $"{transportName} connect blackholed");
                await Task.Delay(Timeout.InfiniteTimeSpan, _time, cancellationToken);
                break;
        }

        if (InProgressRemaining > 0)
        {
            InProgressRemaining--;
            throw Fail(transportName, SocketError.InProgress);
        }

        if (ConnectLatency > TimeSpan.Zero)
        {
            await Task.Delay(ConnectLatency, _time, cancellationToken);
        }

        if (_server is null || !_server.IsAccepting)
        {
            throw Fail(transportName, SocketError.ConnectionRefused);
        }

        var link = new SimulatedLink(_links.Count + 1, transportName, _pipeOptions, _log, _observer, _time, LinkLatency);
        _links.Add(link);
        if (WouldBlockFirstWriteOfNextLink)
        {
            WouldBlockFirstWriteOfNextLink = false;
            link.WouldBlockNextClientWrite();
        }

        _log.Add("network", $"{transportName} opened link {link.Id}");
        _server.Accept(link);
        return link.ClientEnd;
    }

    private SocketException Fail(string transportName, SocketError error)
    {
        _log.Add("network", $"{transportName} connect fails with {error}");
        return new SocketException((int)error);
    }
}
