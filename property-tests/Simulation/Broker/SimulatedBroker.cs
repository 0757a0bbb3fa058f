using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.PropertyTests.Simulation.Network;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Simulation.Broker;

/// <summary>
/// An in-memory MQTT 3.1.1 broker for simulations, speaking through core's codec over simulated links. It takes QoS 0, 1
/// and 2 from clients (QoS 2 by method B of [MQTT-4.3.3-2]: forwarded once when first received, its packet identifier held
/// until PUBREL) and sends them on at the QoS granted, at most <see cref="MaximumGrantedQos"/> (1 unless a test raises it
/// to 2). It keeps clean and persistent sessions, routes by topic filter, can be told to misbehave (<see cref="Faults"/>), and records what every client sent and received, what it accepted per
/// topic, and every protocol violation it saw.
/// All its code runs on the simulation's scheduler.
/// </summary>
internal sealed partial class SimulatedBroker : ISimulatedServer
{
    /// <summary>Client id under which packets received before any CONNECT are recorded.</summary>
    public const string UnidentifiedClient = "";

    private readonly TaskScheduler _scheduler;
    private readonly TimeProvider _time;
    private readonly SimulationLog _log;
    private readonly DateTimeOffset _epoch;
    private readonly ClientConformanceChecker _checker;
    private readonly Dictionary<string, BrokerSession> _sessions = new(StringComparer.Ordinal);
    private readonly List<BrokerConnection> _connections = [];
    private readonly Dictionary<string, List<PacketRecord>> _received = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PacketRecord>> _sent = new(StringComparer.Ordinal);
    private readonly List<AcceptedMessage> _accepted = [];
    private readonly List<RoutedMessage> _routed = [];
    private readonly List<Exception> _internalErrors = [];
    private readonly Dictionary<string, int> _sessionsStarted = new(StringComparer.Ordinal);
    private int _sessionInstances;

    /// <summary>Creates a running broker whose connection loops run on <paramref name="scheduler"/>.</summary>
    public SimulatedBroker(TaskScheduler scheduler, TimeProvider time, SimulationLog log)
    {
        ArgumentNullException.ThrowIfNull(time);
        _scheduler = scheduler;
        _time = time;
        _log = log;
        _epoch = time.GetUtcNow();
        _checker = new ClientConformanceChecker(Now, log);
    }

    /// <summary>Misbehaviours to inject.</summary>
    public BrokerFaults Faults { get; } = new();

    private int _assignedIdentifiers;

    /// <summary>MQTT 5 only: the properties an accepting CONNACK carries (Receive Maximum, Server Keep Alive, ...).</summary>
    internal StateMachineMqtt.Protocol.V5.MqttProperties? ConnAckProperties { get; set; }

    /// <summary>MQTT 5: the Response Information this broker gives a client whose CONNECT asks for it; null gives none.</summary>
    internal string? ResponseInformation { get; set; }

    /// <summary>Largest packet the broker decodes; larger is a protocol error that closes the link.</summary>
    public int MaximumPacketSize { get; set; } = 1024 * 1024;

    /// <summary>False between <see cref="Stop"/> and <see cref="Start"/>: the network refuses connects.</summary>
    public bool IsRunning { get; private set; } = true;

    /// <inheritdoc />
    bool ISimulatedServer.IsAccepting => IsRunning;

    /// <summary>What clients did wrong, in order (I3, I4 and protocol basics).</summary>
    public IReadOnlyList<ProtocolViolation> Violations => _checker.Violations;

    /// <summary>Exceptions the broker's own code threw (a fixture bug); tests should assert this stays empty.</summary>
    public IReadOnlyList<Exception> InternalErrors => _internalErrors;

    /// <summary>Every PUBLISH the broker accepted, in order.</summary>
    public IReadOnlyList<AcceptedMessage> Accepted => _accepted;

    /// <summary>The observer to attach to the network so client packets are judged at the sender.</summary>
    public IClientPacketObserver ClientPacketObserver => _checker;

    /// <summary>Client ids with a session (online, or persistent and offline).</summary>
    public IReadOnlyCollection<string> SessionClientIds => _sessions.Keys;

    /// <summary>Packets received from <paramref name="clientId"/>, in order, over all its links.</summary>
    public IReadOnlyList<PacketRecord> ReceivedFrom(string clientId) => _received.TryGetValue(clientId, out List<PacketRecord>? list) ? list : [];

    /// <summary>
    /// Packets <paramref name="clientId"/> wrote after its CONNECT, over all its links, as tapped at the client's end: what
    /// it sent, including what a reset or a half-open link then lost on the way.
    /// </summary>
    public IReadOnlyList<MqttPacket> WrittenBy(string clientId) => _checker.WrittenBy(clientId);

    /// <summary>Packets sent (or, if <see cref="PacketRecord.Dropped"/>, swallowed by a fault) to <paramref name="clientId"/>, in order.</summary>
    public IReadOnlyList<PacketRecord> SentTo(string clientId) => _sent.TryGetValue(clientId, out List<PacketRecord>? list) ? list : [];

    /// <summary>Messages accepted on <paramref name="topic"/>, in order.</summary>
    public IReadOnlyList<AcceptedMessage> AcceptedOn(string topic) => _accepted.Where(m => m.Topic == topic).ToList();

    /// <summary>True when <paramref name="clientId"/> has a link whose CONNECT was accepted.</summary>
    public bool IsConnected(string clientId) => _sessions.TryGetValue(clientId, out BrokerSession? s) && s.Connection is { Accepted: true, Detached: false };

    /// <summary>The topic filters and granted QoS of <paramref name="clientId"/>'s session (empty when it has none).</summary>
    public IReadOnlyDictionary<string, MqttQualityOfService> SubscriptionsOf(string clientId) =>
        _sessions.TryGetValue(clientId, out BrokerSession? s) ? new Dictionary<string, MqttQualityOfService>(s.Subscriptions) : new Dictionary<string, MqttQualityOfService>();

    /// <summary>How many sessions the broker has started for <paramref name="clientId"/>: 1 means one session lasted throughout.</summary>
    public int SessionsStartedFor(string clientId) => _sessionsStarted.GetValueOrDefault(clientId);

    /// <summary>The packet identifiers of QoS 2 messages from <paramref name="clientId"/> held until PUBREL (empty without a session).</summary>
    public IReadOnlyCollection<ushort> HeldQos2Ids(string clientId) =>
        _sessions.TryGetValue(clientId, out BrokerSession? s) ? s.Qos2Held.Order().ToList() : [];

    /// <summary>
    /// Writes <paramref name="packet"/> to <paramref name="clientId"/>'s current link as if the broker had sent it, whatever
    /// the protocol says: for tests of how a client copes with a broker that answers what it should not. False when the
    /// client is not connected.
    /// </summary>
    public bool SendStray(string clientId, MqttPacket packet)
    {
        if (!_sessions.TryGetValue(clientId, out BrokerSession? session) || session.Connection is not { Accepted: true, Detached: false } connection)
        {
            return false;
        }

        _log.Add("broker", $"sends a stray {Describe(packet)} (test)");
        Send(connection, packet);
        return true;
    }

    /// <summary>QoS 1 and 2 messages held for <paramref name="clientId"/>: queued while offline, sent and unacknowledged, and QoS 2 awaiting PUBCOMP.</summary>
    public int HeldMessageCount(string clientId) => _sessions.TryGetValue(clientId, out BrokerSession? s) ? s.Pending.Count + s.Inflight.Count + s.Releasing.Count : 0;

    /// <summary>
    /// The highest QoS a subscription is granted: 1 by default, as most of the simulations were written for; 2 to send QoS 2
    /// messages to clients (PUBLISH, PUBREC, PUBREL, PUBCOMP, resumed on reconnect as [MQTT-4.4.0-1] says).
    /// </summary>
    public MqttQualityOfService MaximumGrantedQos { get; set; } = MqttQualityOfService.AtLeastOnce;

    /// <summary>QoS 1 and 2 messages routed to <paramref name="clientId"/>'s sessions (queued for it), in order: what it must receive while that session lasts.</summary>
    public IReadOnlyList<RoutedMessage> RoutedTo(string clientId) => _routed.Where(m => m.ClientId == clientId).ToList();

    /// <summary>
    /// Kills the broker process and starts it again at once: every link is reset; sessions are kept (a broker with
    /// persistence) or lost.
    /// </summary>
    public void Restart(bool keepSessions)
    {
        _log.Add("broker", $"restart ({(keepSessions ? "sessions kept" : "sessions lost")})");
        KillLinks(keepSessions);
        IsRunning = true;
    }

    /// <summary>Kills the broker: every link is reset and connects are refused until <see cref="Start"/>.</summary>
    public void Stop(bool keepSessions = true)
    {
        _log.Add("broker", $"stop ({(keepSessions ? "sessions kept" : "sessions lost")})");
        KillLinks(keepSessions);
        IsRunning = false;
    }

    /// <summary>Starts a stopped broker.</summary>
    public void Start()
    {
        _log.Add("broker", "start");
        IsRunning = true;
    }

    /// <summary>
    /// MQTT 5: ends <paramref name="clientId"/>'s link with a DISCONNECT carrying <paramref name="reasonCode"/> and, when
    /// given, a reason string and a Server Reference [MQTT-3.14], then closes it, as a broker shutting down or handing the
    /// client on does. The session stays, as its expiry interval says.
    /// </summary>
    public void DisconnectClient(string clientId, byte reasonCode, string? reasonString = null, string? serverReference = null)
    {
        BrokerConnection connection = _sessions[clientId].Connection ?? throw new InvalidOperationException($"{clientId} has no link to end");
        if (connection.Version != MqttProtocolVersion.V500)
        {
            throw new InvalidOperationException("only an MQTT 5 broker sends DISCONNECT");
        }

        var properties = reasonString is null && serverReference is null ? null : new StateMachineMqtt.Protocol.V5.MqttProperties { ReasonString = reasonString, ServerReference = serverReference };
        _log.Add("broker", $"ends {clientId}'s link with DISCONNECT 0x{reasonCode:X2}");
        Send(connection, new DisconnectPacket(reasonCode, properties));
        connection.Close();
    }

    /// <summary>Publishes a message as if from another client (e.g. to test the client's receive path).</summary>
    public void Publish(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qualityOfService = MqttQualityOfService.AtLeastOnce)
    {
        TopicValidation.EnsureTopicName(topic, nameof(topic));
        _log.Add("broker", $"injects PUBLISH to \"{topic}\" QoS {(int)qualityOfService}");
        Route(topic, payload, qualityOfService);
    }

    /// <inheritdoc />
    void ISimulatedServer.Accept(SimulatedLink link)
    {
        var connection = new BrokerConnection(this, link);
        _connections.Add(connection);
        if (Greeting is { } greeting)
        {
            connection.Version = GreetingVersion;
            Send(connection, greeting); // a broker that speaks before CONNECT (tests of the client's violation rows)
        }

        _ = Task.Factory.StartNew(connection.RunAsync, CancellationToken.None, TaskCreationOptions.DenyChildAttach, _scheduler).Unwrap()
            .ContinueWith(
                t => _internalErrors.Add(t.Exception!),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                _scheduler);
    }

    internal void OnMalformed(BrokerConnection connection, MqttProtocolException error)
    {
        _log.Add("broker", $"link {connection.Link.Id}: malformed input ({error.Message}); closing");
    }

    internal void OnLinkEnded(BrokerConnection connection, string reason)
    {
        _connections.Remove(connection);
        _log.Add("broker", $"link {connection.Link.Id} ({connection.ClientId ?? "no CONNECT"}) ended: {reason}");
        bool wasCurrent = connection.ClientId is { } id && _sessions.TryGetValue(id, out BrokerSession? session) && session.Connection == connection;
        connection.Detached = true;
        if (!wasCurrent)
        {
            return;
        }

        BrokerSession current = _sessions[connection.ClientId!];
        current.Connection = null;
        if (current.CleanSession)
        {
            _sessions.Remove(current.ClientId);
        }

        if (connection.Will is { } will && connection.Accepted)
        {
            _log.Add("broker", $"publishes the will of {current.ClientId} to \"{will.Topic}\"");
            Route(will.Topic, will.Payload, will.QualityOfService);
        }
    }

    private void KillLinks(bool keepSessions)
    {
        foreach (BrokerConnection connection in _connections.ToList())
        {
            connection.Will = null;
            connection.Detached = true;
            connection.Link.Reset();
        }

        foreach (BrokerSession session in _sessions.Values)
        {
            session.Connection = null;
        }

        if (!keepSessions)
        {
            _sessions.Clear();
        }
        else
        {
            foreach (string clean in _sessions.Values.Where(s => s.CleanSession).Select(s => s.ClientId).ToList())
            {
                _sessions.Remove(clean);
            }
        }
    }

    private TimeSpan Now() => _time.GetUtcNow() - _epoch;

    private static List<PacketRecord> ListFor(Dictionary<string, List<PacketRecord>> records, string clientId)
    {
        if (!records.TryGetValue(clientId, out List<PacketRecord>? list))
        {
            list = [];
            records[clientId] = list;
        }

        return list;
    }
}
