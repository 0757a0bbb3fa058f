using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>
/// The composition rules: which table trigger each event fires, and what each effect does to the environment and the other
/// machines. Every rule mirrors core/Client/MqttClient.*.cs (the method named in each comment); the tables decide the
/// rest. Timing assumptions, which make a healthy environment answer before a timer fires, are in <see cref="Enabled"/>.
/// Not thread-safe: one instance per checker.
/// </summary>
public sealed class Composition(ModelTables tables, ModelOptions options)
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

    // --- Broker and packet arrival (MqttClient.Receive.cs OnPacket) ----------------------------------------------------------

    private void BrokerAnswersConnect()
    {
        _s.ConnectInFlight = false;
        bool present = !options.CleanSession && _s.BrokerSession;
        if (!present)
        {
            _s.BrokerSession = true;
            _s.BrokerSubscriptions = false;
        }

        _s.ConnAck = present ? ConnAckInFlight.SessionPresent : ConnAckInFlight.NewSession;
    }

    private void ClientReceivesConnAck()
    {
        ConnAckInFlight answer = _s.ConnAck;
        _s.ConnAck = ConnAckInFlight.None;
        _s.ConnectOutstanding = false;
        if (Received(isConnAck: true))
        {
            _s.LinkAccepted = answer is ConnAckInFlight.SessionPresent or ConnAckInFlight.NewSession;
            FireConnection(answer switch // OnConnAck
            {
                ConnAckInFlight.SessionPresent => ConnectionTrigger.ConnAckSessionPresent,
                ConnAckInFlight.NewSession => ConnectionTrigger.ConnAckNewSession,
                ConnAckInFlight.RefusedRetryable => ConnectionTrigger.ConnAckRefusedRetryable,
                _ => ConnectionTrigger.ConnAckRefusedFatal,
            });
        }
    }

    private void BrokerReceivesPublish(int i)
    {
        HeldMessage m = _s.Get(i);
        m.PublishInFlight = false;
        m.BrokerHasIt = true;
        m.PubAckInFlight = true;
        _s.Set(i, m);
    }

    private void ClientReceivesPubAck(int i)
    {
        HeldMessage m = _s.Get(i);
        m.PubAckInFlight = false;
        _s.Set(i, m);
        if (!Received())
        {
            return;
        }

        for (int j = 0; j < _s.Count; j++) // OnPubAck: the in-flight message with this packet identifier
        {
            if (_s.Get(j).PacketId == m.PacketId && m.PacketId != 0)
            {
                FirePublish(j, PublishTrigger.PubAck);
                Pump();
                return;
            }
        }
    }

    private void ClientReceivesSubAck()
    {
        _s.SubAckInFlight = false;
        if (Received() && _s.RestoreSent) // OnRequestAck
        {
            _s.RestorePending = false;
            _s.RestoreSent = false;
        }
    }

    /// <summary>
    /// OnPacket's prologue: the link is alive (KeepAlive PacketReceived). In AwaitingConnAck only a CONNACK is dispatched, and a
    /// CONNACK at any other time is not a packet a broker may send; either mistake fires ProtocolViolation. True when the packet is dispatched.
    /// </summary>
    private bool Received(bool isConnAck = false)
    {
        _s.Phase = ClockPhase.Fresh;
        FireKeepAlive(KeepAliveTrigger.PacketReceived);
        if ((_s.Connection == ConnectionState.AwaitingConnAck) == isConnAck)
        {
            return true;
        }

        FireConnection(ConnectionTrigger.ProtocolViolation);
        return false;
    }

    // --- The three machines and their effects (MqttClient.Connection.cs / KeepAlive.cs / Publish.cs) ---------------------------

    private void FireConnection(ConnectionTrigger trigger)
    {
        if (_violation is not null)
        {
            return;
        }

        ConnectionState before = _s.Connection;
        var rows = tables.Rows(before, trigger).Where(r => r.Guard switch
        {
            ConnectionGuard.NeverConnected => !_s.HasConnected,
            ConnectionGuard.HasConnectedBefore => _s.HasConnected,
            _ => true,
        }).ToArray();
        if (!Chosen(rows.Length, "Connection", before, trigger))
        {
            return;
        }

        var row = rows[0];
        _s.Connection = row.To;
        _log?.Add($"Connection[{row.Index}] {before} --{trigger}--> {row.To} / {row.Effect}");
        switch (row.Effect) // RunConnectionEffect
        {
            case ConnectionEffect.SendConnect:
                if (_s.ConnectOutstanding)
                {
                    Fail("I3", "a second CONNECT was written while one was outstanding");
                }

                _s.ConnectOutstanding = true;
                _s.ConnectInFlight |= Send("CONNECT", isConnect: true);
                break;
            case ConnectionEffect.ResumeSession: LinkUp(sessionPresent: true); break;
            case ConnectionEffect.StartNewSession: LinkUp(sessionPresent: false); break;
            case ConnectionEffect.CloseAndBackoff or ConnectionEffect.FailConnect or ConnectionEffect.CloseGracefully or ConnectionEffect.StopReconnecting: CloseLink(); break;
            case ConnectionEffect.SendDisconnect: _ = Send("DISCONNECT"); break;
            case ConnectionEffect.Shutdown: // ShutdownEverything: every held message is failed
                CloseLink();
                while (_s.Count > 0)
                {
                    Remove(0, "disposed");
                }

                break;
            default: break; // None, OpenSocket, PollSocket, RejectConnect: nothing the model tracks
        }

        if (before != ConnectionState.Connected && _s.Connection == ConnectionState.Connected && !_s.BrokerSubscriptions && !_s.RestorePending)
        {
            Fail("I8", "the link counts as up, but the broker has no subscriptions for this client and none are being restored");
        }
    }

    /// <summary>LinkUp: keepalive starts, a new session gets its subscriptions restored, then requests and held messages are sent.</summary>
    private void LinkUp(bool sessionPresent)
    {
        _s.HasConnected = true;
        _s.Phase = ClockPhase.Fresh;
        FireKeepAlive(KeepAliveTrigger.LinkUp);
        if (!sessionPresent)
        {
            _s.RestorePending = true; // RestoreSubscriptions: the model's application has always subscribed
        }

        if (_s.Connection == ConnectionState.Connected && _s.RestorePending && !_s.RestoreSent) // SendRequests
        {
            _s.RestoreSent = true;
            _s.SubscribeInFlight |= Send("SUBSCRIBE");
        }

        Pump();
    }

    /// <summary>CloseLink: the socket goes, keepalive stops, every held message hears LinkLost in order, request identifiers are released.</summary>
    private void CloseLink()
    {
        _s.Link = Link.None;
        DropInFlight();
        _s.LinkAccepted = false;
        _s.ConnectOutstanding = false;
        FireKeepAlive(KeepAliveTrigger.LinkDown);
        for (int i = 0; i < _s.Count && _violation is null;)
        {
            i += FirePublish(i, PublishTrigger.LinkLost) ? 0 : 1;
        }

        _s.RestoreSent = false;
    }

    private void Tick(KeepAliveGuard valuation)
    {
        _tick = valuation;
        FireKeepAlive(KeepAliveTrigger.Tick);
    }

    private void FireKeepAlive(KeepAliveTrigger trigger)
    {
        if (_violation is not null)
        {
            return;
        }

        // A Tick carries the event's valuation; any other trigger sees the one the clock phase implies.
        KeepAliveGuard holds = trigger == KeepAliveTrigger.Tick ? _tick : _s.Phase switch
        {
            ClockPhase.Fresh => KeepAliveGuard.WithinPingInterval,
            ClockPhase.PingDue => KeepAliveGuard.PingIntervalElapsed,
            _ => KeepAliveGuard.KeepAliveElapsed,
        };
        KeepAliveState before = _s.KeepAlive;
        var rows = tables.Rows(before, trigger).Where(r => r.Guard == KeepAliveGuard.None || r.Guard == holds).ToArray();
        if (!Chosen(rows.Length, "KeepAlive", before, trigger))
        {
            return;
        }

        var row = rows[0];
        _s.KeepAlive = row.To;
        _log?.Add($"KeepAlive[{row.Index}] {before} --{trigger}[{holds}]--> {row.To} / {row.Effect}");
        switch (row.Effect)
        {
            case KeepAliveEffect.SendPingReq: _s.PingReqInFlight |= Send("PINGREQ"); break;
            case KeepAliveEffect.DeclareLinkDead: FireConnection(ConnectionTrigger.KeepAliveExpired); break;
            default: break; // None, ArmTimer, DisarmTimer: the timer is implied by the state
        }
    }

    /// <summary>PumpOutbound: in acceptance order, send what the window allows; identifiers are taken on first entry to the window.</summary>
    private void Pump()
    {
        for (int i = 0; i < _s.Count && _s.Connection == ConnectionState.Connected && _violation is null;)
        {
            HeldMessage m = _s.Get(i);
            if (m.State == PublishState.AwaitingPubAck)
            {
                i++;
                continue;
            }

            if (AwaitingPubAck() >= options.Window)
            {
                break;
            }

            if (m.PacketId == 0)
            {
                m.PacketId = FreePacketId();
                _s.Set(i, m);
            }

            i += FirePublish(i, PublishTrigger.Transmit) ? 0 : 1;
        }
    }

    /// <summary>FirePublish. Returns true when the message was removed from the held list.</summary>
    private bool FirePublish(int i, PublishTrigger trigger)
    {
        if (_violation is not null)
        {
            return false;
        }

        HeldMessage m = _s.Get(i);
        PublishState before = m.State;
        var rows = tables.Rows(before, trigger).Where(r => r.Guard switch
        {
            PublishGuard.RepublishesLeft => m.Republishes < options.MaxRepublishes,
            PublishGuard.RepublishesExhausted => m.Republishes >= options.MaxRepublishes,
            _ => true,
        }).ToArray();
        if (!Chosen(rows.Length, $"Publish(m{i})", before, trigger))
        {
            return false;
        }

        var row = rows[0];
        m.State = row.To;
        _s.Set(i, m);
        _log?.Add($"Publish(m{i})[{row.Index}] {before} --{trigger}--> {row.To} / {row.Effect}");
        switch (row.Effect)
        {
            case PublishEffect.SendPublish: Transmit(i, dup: false, before); break;
            case PublishEffect.SendPublishDup: Transmit(i, dup: true, before); break;
            case PublishEffect.CompletePublish:
                Remove(i, trigger == PublishTrigger.PubAck ? "acknowledged" : $"completed on {trigger}");
                return true;
            case PublishEffect.Withdraw:
                Remove(i, trigger == PublishTrigger.Cancel ? "withdrawn" : $"withdrawn on {trigger}");
                return true;
            case PublishEffect.DeclareLinkDead: FireConnection(ConnectionTrigger.RepublishLimitReached); break;
            default: break; // None, DetachCaller: the message stays held
        }

        return false;
    }

    /// <summary>Transmit: count re-sends on this link, write the PUBLISH (I4: DUP exactly when it was written before).</summary>
    private void Transmit(int i, bool dup, PublishState before)
    {
        HeldMessage m = _s.Get(i);
        if (dup != m.Sent)
        {
            Fail("I4", dup ? $"m{i} was written with DUP = 1 on its first send" : $"m{i} was re-sent with DUP = 0");
        }

        m.Republishes = before == PublishState.AwaitingPubAck ? (byte)Math.Min(m.Republishes + 1, options.MaxRepublishes) : (byte)0;
        m.Sent = true;
        m.PublishInFlight |= Send($"PUBLISH(m{i})");
        _s.Set(i, m);
    }

    /// <summary>Forget: the message leaves the client. I1: only once the broker has it (PUBACK), or withdrawn before its first send.</summary>
    private void Remove(int i, string how)
    {
        HeldMessage m = _s.Get(i);
        bool legal = how == "acknowledged" ? m.BrokerHasIt : how == "withdrawn" && !m.Sent;
        if (!legal)
        {
            Fail("I1", $"m{i} left the client ({how}) in state {m.State}, {(m.BrokerHasIt ? "received by the broker" : "never received by the broker")}, {(m.Sent ? "sent before" : "never sent")}");
        }

        _s.RemoveAt(i);
    }

    /// <summary>Send: nothing without a socket; I3 for anything but CONNECT; true when the packet is on its way (the link is open).</summary>
    private bool Send(string packet, bool isConnect = false)
    {
        if (_s.Link == Link.None)
        {
            return false;
        }

        if (!isConnect && !_s.LinkAccepted)
        {
            Fail("I3", $"{packet} was written before a CONNACK accepted the link");
        }

        return _s.Link == Link.Open;
    }

    /// <summary>A fault kills an open link: the client still holds the socket, and everything in flight is lost.</summary>
    private void KillLink()
    {
        if (_s.Link == Link.Open)
        {
            _s.Link = Link.Dead;
            DropInFlight();
        }
    }

    private void DropInFlight()
    {
        _s.ConnectInFlight = _s.PingReqInFlight = _s.PingRespInFlight = _s.SubscribeInFlight = _s.SubAckInFlight = false;
        _s.ConnAck = ConnAckInFlight.None;
        for (int i = 0; i < _s.Count; i++)
        {
            HeldMessage m = _s.Get(i);
            m.PublishInFlight = m.PubAckInFlight = false;
            _s.Set(i, m);
        }
    }

    private int AwaitingPubAck()
    {
        int n = 0;
        for (int i = 0; i < _s.Count; i++)
        {
            n += _s.Get(i).State == PublishState.AwaitingPubAck ? 1 : 0;
        }

        return n;
    }

    /// <summary>The lowest identifier no held message uses (the model's allocator; core's rotates, which only delays reuse).</summary>
    private byte FreePacketId()
    {
        for (byte id = 1; ; id++)
        {
            bool used = false;
            for (int i = 0; i < _s.Count; i++)
            {
                used |= _s.Get(i).PacketId == id;
            }

            if (!used)
            {
                return id;
            }
        }
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
