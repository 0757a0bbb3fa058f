using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>
/// The composition rules: which table trigger each event fires, and what each effect does to the environment and the other
/// machines. Every rule mirrors core/Client/MqttClient.*.cs (the method named in each comment); the tables decide the
/// rest. Timing assumptions, which make a healthy environment answer before a timer fires, are in <see cref="Enabled"/>.
/// This file says which event fires which trigger; the other Composition.*.cs files hold the effects, one machine each, and packet arrival.
/// Not thread-safe: one instance per checker.
/// </summary>
public sealed partial class Composition(ModelTables tables, ModelOptions options)
{
    private SystemState _s;
    private List<string>? _log;
    private Violation? _violation;
    private KeepAliveGuard _tick;

    /// <summary>The events possible in <paramref name="s"/>.</summary>
    public void Enabled(in SystemState s, List<ModelEvent> into)
    {
        bool open = s.Link == Link.Open;
        void Add(bool when, EventKind kind, int message = 0)
        {
            if (when)
            {
                into.Add(new ModelEvent(kind, message));
            }
        }

        Add(true, EventKind.AppConnect);
        Add(true, EventKind.AppDisconnect);
        Add(s.Count < options.MaxMessages, EventKind.AppPublish);
        Add(s.Connection == ConnectionState.Backoff, EventKind.BackoffElapsed);
        // Timing assumption: a healthy link answers within the response time, so a timer fires only when the answer is not on its way.
        Add(s.Connection switch
        {
            ConnectionState.Connecting => !s.Healthy,
            ConnectionState.AwaitingConnAck => !(open && (s.ConnectInFlight || s.ConnAck != ConnAckInFlight.None)),
            ConnectionState.Connected => s.RestoreSent && !(open && (s.SubscribeInFlight || s.SubAckInFlight)),
            ConnectionState.Disconnecting => !open,
            _ => false,
        }, EventKind.ConnectionTimeout);
        bool watching = s.KeepAlive != KeepAliveState.Inactive;
        bool pinged = s.KeepAlive == KeepAliveState.PingOutstanding;
        Add(watching && (s.Phase == ClockPhase.Fresh || (s.Phase == ClockPhase.PingDue && pinged)), EventKind.TickWithin);
        Add(watching && s.Phase != ClockPhase.Dead, EventKind.TickPing);
        Add(watching && s.Phase == ClockPhase.Dead, EventKind.TickDead);
        // The ping deadline comes before the silence limit, and a healthy link answers a PINGREQ before the limit.
        Add(watching && (s.Phase == ClockPhase.Fresh || (s.Phase == ClockPhase.PingDue && pinged && !(open && (s.PingReqInFlight || s.PingRespInFlight)))), EventKind.ClockAdvance);
        Add(s.Connection == ConnectionState.Connecting || s.Link != Link.None, EventKind.SocketPending);
        Add(s.Connection == ConnectionState.Connecting && s.Healthy, EventKind.SocketOpened);
        Add(s.Connection == ConnectionState.Connecting && !s.Healthy, EventKind.ConnectFailed);
        Add(s.Link == Link.Dead && s.Net != Network.HalfOpen, EventKind.LinkError);
        Add(s.Connection == ConnectionState.Disconnecting && s.Link != Link.None, EventKind.DisconnectFlushed);
        Add(open && s.BrokerUp && s.ConnectInFlight, EventKind.DeliverConnect);
        Add(open && s.ConnAck != ConnAckInFlight.None, EventKind.DeliverConnAck);
        Add(open && s.BrokerUp && s.PingReqInFlight, EventKind.DeliverPingReq);
        Add(open && s.PingRespInFlight, EventKind.DeliverPingResp);
        Add(open && s.BrokerUp && s.SubscribeInFlight, EventKind.DeliverSubscribe);
        Add(open && s.SubAckInFlight, EventKind.DeliverSubAck);
        for (int i = 0; i < s.Count; i++)
        {
            HeldMessage m = s.Get(i);
            Add(true, EventKind.AppCancel, i);
            Add(s.Connection == ConnectionState.Connected && m.State == PublishState.AwaitingPubAck && !(open && (m.PublishInFlight || m.PubAckInFlight)), EventKind.PubAckTimeout, i);
            Add(open && s.BrokerUp && m.PublishInFlight, EventKind.DeliverPublish, i);
            Add(open && m.PubAckInFlight, EventKind.DeliverPubAck, i);
        }

        Add(s.Net != Network.Down, EventKind.NetDown);
        Add(s.Net != Network.HalfOpen, EventKind.NetHalfOpen);
        Add(s.Net != Network.Up, EventKind.NetUp);
        Add(s.BrokerUp, EventKind.BrokerCrashKeepSession);
        Add(s.BrokerUp, EventKind.BrokerCrashLoseSession);
        Add(!s.BrokerUp, EventKind.BrokerRestart);
        Add(open && s.BrokerUp && s.ConnectInFlight, EventKind.RefuseRetryable);
        Add(open && s.BrokerUp && s.ConnectInFlight, EventKind.RefuseFatal);
        Add(s.Connection == ConnectionState.Connecting && s.Net == Network.Down, EventKind.ConfigurationError);
        Add(open, EventKind.LinkReset);
        Add(open, EventKind.ProtocolViolation);
    }

    /// <summary>Applies <paramref name="e"/> to <paramref name="s"/>. Rows taken are appended to <paramref name="log"/> when given.</summary>
    public (SystemState Next, Violation? Violation) Apply(in SystemState s, ModelEvent e, List<string>? log = null)
    {
        _s = s;
        _log = log;
        _violation = null;
        int i = e.Message;
        switch (e.Kind)
        {
            case EventKind.AppConnect: FireConnection(ConnectionTrigger.Connect); break;
            case EventKind.AppDisconnect: FireConnection(ConnectionTrigger.Disconnect); break;
            case EventKind.AppPublish: _s.Add(new HeldMessage { State = PublishTable.Initial }); Pump(); break; // OnPublishCommand
            case EventKind.AppCancel: FirePublish(i, PublishTrigger.Cancel); break; // OnPublishCancelled
            case EventKind.BackoffElapsed: FireConnection(ConnectionTrigger.BackoffElapsed); break;
            case EventKind.ConnectionTimeout: FireConnection(ConnectionTrigger.ResponseTimeout); break;
            case EventKind.PubAckTimeout: FirePublish(i, PublishTrigger.ResponseTimeout); break; // OnResponseTimer
            case EventKind.TickWithin: Tick(KeepAliveGuard.WithinPingInterval); break;
            case EventKind.TickPing: Tick(KeepAliveGuard.PingIntervalElapsed); break;
            case EventKind.TickDead: Tick(KeepAliveGuard.KeepAliveElapsed); break;
            case EventKind.ClockAdvance: _s.Phase++; break;
            case EventKind.SocketPending: FireConnection(ConnectionTrigger.SocketPending); break;
            case EventKind.SocketOpened: _s.Link = Link.Open; FireConnection(ConnectionTrigger.SocketOpened); break; // OnLinkOpened
            case EventKind.ConnectFailed: FireConnection(ConnectionTrigger.LinkLost); break; // OnConnectFailed
            case EventKind.LinkError: FireConnection(ConnectionTrigger.LinkLost); break; // OnLinkFailed
            case EventKind.DisconnectFlushed: FireConnection(ConnectionTrigger.DisconnectFlushed); break; // OnFlushed
            case EventKind.DeliverConnect: BrokerAnswersConnect(); break;
            case EventKind.DeliverConnAck: ClientReceivesConnAck(); break;
            case EventKind.DeliverPublish: BrokerReceivesPublish(i); break;
            case EventKind.DeliverPubAck: ClientReceivesPubAck(i); break;
            case EventKind.DeliverPingReq: _s.PingReqInFlight = false; _s.PingRespInFlight = true; break;
            case EventKind.DeliverPingResp: _s.PingRespInFlight = false; _ = Received(); break;
            case EventKind.DeliverSubscribe: _s.SubscribeInFlight = false; _s.BrokerSubscriptions = true; _s.SubAckInFlight = true; break;
            case EventKind.DeliverSubAck: ClientReceivesSubAck(); break;
            case EventKind.NetDown: _s.Net = Network.Down; KillLink(); break;
            case EventKind.NetHalfOpen: _s.Net = Network.HalfOpen; KillLink(); break;
            case EventKind.NetUp: _s.Net = Network.Up; break;
            case EventKind.BrokerCrashKeepSession: _s.BrokerUp = false; KillLink(); break;
            case EventKind.BrokerCrashLoseSession: _s.BrokerUp = false; _s.BrokerSession = false; _s.BrokerSubscriptions = false; KillLink(); break;
            case EventKind.BrokerRestart: _s.BrokerUp = true; break;
            case EventKind.RefuseRetryable: _s.ConnectInFlight = false; _s.ConnAck = ConnAckInFlight.RefusedRetryable; break;
            case EventKind.RefuseFatal: _s.ConnectInFlight = false; _s.ConnAck = ConnAckInFlight.RefusedFatal; break;
            case EventKind.ConfigurationError: FireConnection(ConnectionTrigger.ConfigurationError); break;
            case EventKind.LinkReset: KillLink(); FireConnection(ConnectionTrigger.LinkLost); break; // OnLinkFailed
            case EventKind.ProtocolViolation: FireConnection(ConnectionTrigger.ProtocolViolation); break; // malformed input
            default: throw new InvalidOperationException($"Event {e} has no composition rule.");
        }

        if (_s.KeepAlive == KeepAliveState.Inactive)
        {
            _s.Phase = ClockPhase.Fresh; // unwatched: the phase means nothing, so one value keeps the state space small
        }

        return (_s, _violation ?? Invariants.Check(_s));
    }

    private bool Chosen(int rows, string machine, object state, object trigger)
    {
        if (rows == 1)
        {
            return true;
        }

        Fail(rows == 0 ? "NoRow" : "Ambiguous", rows == 0
            ? $"{machine}: no row handles {trigger} in {state}; the client would stop with 'no row handles'"
            : $"{machine}: {rows} rows apply to {trigger} in {state}; their guards must exclude each other");
        return false;
    }

    private void Fail(string invariant, string message) => _violation ??= new Violation(invariant, message);
}
