using System.Collections;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Engine
{
    /// <summary>The Connection machine: its guards, its effects, and the connect / disconnect / dispose commands.</summary>
    public sealed partial class SessionEngine
    {
        private readonly ArrayList _connectCallers = new ArrayList();
        private readonly ArrayList _disconnectCallers = new ArrayList();
        private bool _hasConnected;
        private bool _sessionInDoubt;
        private bool _connectUnanswered;
        private bool _cleanRequested;
        private bool _linkUp;
        private int _backoffAttempt;
        private long _linkUpAt;
        private bool _linkProgressed;
        private long _connectStartedAt;
        private int _attempts;
        private string _lastAttemptReason = "";
        private int _lastAttemptSocketError;
        private int _lastAttemptRefusal = -1;
        private int _refusal = -1;
        private long _connectionDeadline = Never;
        private ConnectionTrigger _connectionDeadlineTrigger;

        // Why the machine is being fired: set just before firing, so effects can report it.
        private string _reason = "";
        private int _socketError;

        /// <summary>
        /// Starts the client; <paramref name="caller"/> hears ConnectCompleted once a CONNACK accepts it, or ConnectFailed.
        /// A connect from Idle or Closed starts afresh: "never connected" again, so a configuration error fails it at once.
        /// </summary>
        public void Connect(object caller, long now)
        {
            _now = now;
            EnsureNotDisposed();
            ConnectionState state = _connection.State;
            if (state == ConnectionState.Idle || state == ConnectionState.Closed)
            {
                _hasConnected = false;
                // Afresh means the backoff too: the attempts of an abandoned run must not make the first retry wait the maximum.
                _backoffAttempt = 0;
                _connectStartedAt = now;
                _attempts = 0;
                _lastAttemptReason = "";
                _lastAttemptSocketError = 0;
                _lastAttemptRefusal = -1;
                _server = 0;
                _dialReference = null;
                _referenceToFollow = null;
            }

            _connectCallers.Add(caller);
            FireConnection(ConnectionTrigger.Connect);
            if (_connection.State == ConnectionState.Connected)
            {
                CompleteConnectCallers();
            }
        }

        /// <summary>The caller stopped waiting for its connect; the client goes on trying.</summary>
        public void CancelConnect(object caller, long now)
        {
            _now = now;
            RemoveFrom(_connectCallers, caller);
        }

        /// <summary>Sends DISCONNECT (when connected), closes the link and stops reconnecting; <paramref name="caller"/> hears DisconnectCompleted.</summary>
        public void Disconnect(object caller, long now)
        {
            Disconnect(caller, DisconnectRules.Normal, now);
        }

        /// <summary>
        /// As <see cref="Disconnect(object, long)"/>, with the MQTT 5 reason code the DISCONNECT carries, if one is sent
        /// (for example 0x04, Disconnect with Will Message). The call that starts the disconnect chooses it; calls that join
        /// one under way do not change it. Under 3.1.1, or a code a client may not send, the driver must refuse the call first.
        /// </summary>
        public void Disconnect(object caller, int reasonCode, long now)
        {
            _now = now;
            EnsureNotDisposed();
            if (!DisconnectRules.MaySend(Options.ProtocolVersion, reasonCode))
            {
                throw new System.ArgumentException("DISCONNECT reason code 0x" + reasonCode.ToString("X2") + " is not one a client may send under this protocol version: the driver must refuse it.");
            }

            _disconnectCallers.Add(caller);
            if (_connection.State != ConnectionState.Disconnecting)
            {
                _disconnectReasonCode = reasonCode;
            }

            FireConnection(ConnectionTrigger.Disconnect);
        }

        /// <summary>Closes everything without DISCONNECT; every call still waiting fails with <see cref="FailureKind.Disposed"/>.</summary>
        public void Dispose(long now)
        {
            _now = now;
            // Disposal fails the callers of what is held, but it is not those messages' completion: a durable store keeps
            // them for the next client made with it (so nothing is recorded from here on).
            _disposing = true;
            if (_connection.State != ConnectionState.Disposed)
            {
                FireConnection(ConnectionTrigger.Dispose);
            }
        }

        /// <summary>
        /// The driver's network interface came back (a Wi-Fi or link-layer event). A reconnect delay still being waited out
        /// was earned while the network was down, so it ends now: the next <see cref="HandleTimeout"/> starts the attempt.
        /// </summary>
        public void HandleNetworkAvailable(long now)
        {
            _now = now;
            if (_connection.State == ConnectionState.Backoff && _connectionDeadlineTrigger == ConnectionTrigger.BackoffElapsed && _connectionDeadline > now)
            {
                _connectionDeadline = now;
            }
        }

        /// <summary>The Connection table's guards.</summary>
        public bool Holds(ConnectionGuard guard)
        {
            switch (guard)
            {
                case ConnectionGuard.NeverConnected: return !_hasConnected;
                case ConnectionGuard.HasConnectedBefore: return _hasConnected;
                case ConnectionGuard.SessionTrusted: return !_sessionInDoubt;
                case ConnectionGuard.SessionInDoubt: return _sessionInDoubt;
                case ConnectionGuard.FirstConnectBoundReached: return FirstConnectBoundReached();
                case ConnectionGuard.RetryAllowed: return !FirstConnectBoundReached();
                default: return true;
            }
        }

        private void EnsureNotDisposed()
        {
            if (_connection.State == ConnectionState.Disposed)
            {
                throw new System.InvalidOperationException("The engine has been disposed: the driver must refuse calls after disposal.");
            }
        }

        /// <summary>
        /// Fires a trigger that carries no cause: none of its rows ends in an effect that reports one (CloseAndBackoff,
        /// FailConnect report the cause of a failure; GiveUpConnect, RejectConnect and the rest word their own).
        /// EngineSafetyNetTests holds the tables to that.
        /// </summary>
        private void FireConnection(ConnectionTrigger trigger)
        {
            FireConnection(trigger, "", 0);
        }

        private void FireConnection(ConnectionTrigger trigger, string reason, int socketError)
        {
            _reason = reason;
            _socketError = socketError;
            ConnectionEffect effect = _connection.Fire(trigger);
            switch (effect)
            {
                case ConnectionEffect.None: break;
                case ConnectionEffect.OpenSocket: OpenSocket(); break;
                case ConnectionEffect.PollSocket: OpenLink(); break;
                case ConnectionEffect.SendConnect: SendConnect(); break;
                case ConnectionEffect.ResumeSession: LinkUp(true, false); break;
                case ConnectionEffect.StartNewSession: LinkUp(false, true); break;
                case ConnectionEffect.ResumeSessionInDoubt: DoubtReceipts(); LinkUp(false, false); break;
                case ConnectionEffect.CloseAndBackoff: CloseAndBackoff(); break;
                case ConnectionEffect.FailConnect: FailConnect(); break;
                case ConnectionEffect.SendDisconnect: SendDisconnect(); break;
                case ConnectionEffect.CloseGracefully: CloseGracefully(); break;
                case ConnectionEffect.RejectConnect: RejectConnect(); break;
                case ConnectionEffect.StopReconnecting: StopReconnecting(); break;
                case ConnectionEffect.Shutdown: Shutdown(); break;
                case ConnectionEffect.GiveUpConnect: GiveUpConnect(); break;
                default: throw new System.InvalidOperationException("Connection effect " + ((int)effect).ToString() + " has no binding in the engine.");
            }
        }

        private void OpenSocket()
        {
            // A refusal belongs to the attempt that got it: a later attempt's failure (an unknown host, a reset) must not
            // be reported with it, nor turn a configuration error into FailureKind.Refused.
            _refusal = -1;
            _attempts++;
            ArmConnectionDeadline(Options.ResponseTimeMs, ConnectionTrigger.ResponseTimeout);
            OpenLink();
        }

        private void SendConnect()
        {
            ArmConnectionDeadline(Options.ResponseTimeMs, ConnectionTrigger.ResponseTimeout);
            StartConnect();
        }

        private void TransmitConnect()
        {
            _cleanRequested = Options.CleanSession || (Options.CleanSessionOnFirstConnect && !_hasConnected);
            _connectUnanswered = true;
            EngineAction action = NewSend(PacketKind.Connect);
            action.CleanSession = _cleanRequested;
            AddCredentials(ref action);
            Transmit(action);
        }

        private void OnConnAck(bool sessionPresent, int returnCode)
        {
            _connectUnanswered = false;
            _refusal = returnCode == 0 ? -1 : returnCode; // an accepted CONNACK is no refusal, even if judged a violation
            if (returnCode == 0)
            {
                if (_cleanRequested && sessionPresent)
                {
                    FireConnection(ConnectionTrigger.ProtocolViolation, "CONNACK said session present for a clean session [MQTT-3.2.2-1]", 0);
                    return;
                }

                FireConnection(sessionPresent ? ConnectionTrigger.ConnAckSessionPresent : ConnectionTrigger.ConnAckNewSession);
            }
            else
            {
                // Built only when a refusal comes: the device's heap has no room to keep the table.
                ConnAckRefusalRow refusal = ConnAckRefusalTable.Find(ConnAckRefusalTable.CreateRows(), Options.ProtocolVersion, returnCode);
                string said = "CONNACK refused: " + (refusal == null ? "code" : refusal.Name) + " (0x" + returnCode.ToString("X2") + ")";
                // A broker that sends us elsewhere, when the user follows references, is retried there, not a configuration error.
                bool retryable = (refusal != null && refusal.Retryable) || _referenceToFollow != null;
                FireConnection(retryable ? ConnectionTrigger.ConnAckRefusedRetryable : ConnectionTrigger.ConnAckRefusedFatal, said, 0);
            }
        }

        /// <summary>
        /// The link is up. <paramref name="sessionPresent"/>: the session is trusted, so nothing is restored;
        /// <paramref name="sessionLost"/>: the CONNACK said Session Present 0, so the broker forgot its QoS 2 exchanges too.
        /// </summary>
        private void LinkUp(bool sessionPresent, bool sessionLost)
        {
            _connectionDeadline = Never;
            _hasConnected = true;
            _linkUp = true;
            _sessionInDoubt = false;
            _serverReference = null; // the last loss's reference was for that link
            _linkUpAt = _now; // the backoff starts over only once this link has proved itself (CloseAndBackoff)
            _linkProgressed = false;
            _refusal = -1;
            _statistics.Connects++;
            if (sessionLost)
            {
                // The broker forgot us: the QoS 2 exchanges it will never finish, and every subscription (restored below).
                LoseReceipts();
            }

            _lastReceived = _now;
            _lastSent = _now;
            _lastPingSent = long.MinValue / 4;
            FireKeepAlive(KeepAliveTrigger.LinkUp);

            EngineEvent up = default(EngineEvent);
            up.Kind = EventKind.LinkUp;
            up.SessionPresent = sessionPresent;
            up.Reason = sessionPresent ? "connected, session resumed" : "connected, new session";
            up.ReturnCode = -1;
            up.Server = _server;
            up.ServerReference = _dialReference;
            Emit(up);

            if (!sessionPresent)
            {
                RestoreSubscriptions();
            }

            SendRequests();
            _cursor = _held.First;
            PumpOutbound();
            CompleteConnectCallers();
        }

        private void CloseAndBackoff()
        {
            bool wasUp = CloseLink();
            _backoffAttempt = ConnectRules.NextBackoffAttempt(_backoffAttempt, wasUp, _now - _linkUpAt, Options.StableLinkMs, _linkProgressed);
            if (!wasUp)
            {
                _lastAttemptReason = _reason;
                _lastAttemptSocketError = _socketError;
                _lastAttemptRefusal = _refusal;
            }

            int failedServer = _server;
            string failedReference = _dialReference;
            MoveToNextServer();
            int round = ServerRotationRules.BackoffAttempt(_backoffAttempt, Options.ServerCount);
            long delay = Options.Backoff != null
                ? Options.Backoff.DelayMs(round)
                : BackoffRules.DelayMs(round, Options.BackoffInitialMs, Options.BackoffMaximumMs, _random.Next(BackoffRules.Scale));
            bool givingUp = FirstConnectBoundReached();
            ArmConnectionDeadline(delay, ConnectionTrigger.BackoffElapsed);
            EngineEvent e = default(EngineEvent);
            e.Kind = wasUp ? EventKind.LinkDown : EventKind.ConnectAttemptFailed;
            e.Reason = _reason;
            e.SocketError = _socketError;
            e.ReturnCode = wasUp && _serverDisconnectCode >= 0 ? _serverDisconnectCode : _refusal;
            e.WillRetry = !givingUp;
            e.DelayMs = givingUp ? 0 : _connectionDeadline - _now;
            e.Attempt = wasUp ? 0 : _attempts;
            e.Server = failedServer;
            e.ServerReference = failedReference;
            Emit(e);
            if (wasUp)
            {
                _statistics.LinksLost++;
            }
            else
            {
                _statistics.ConnectAttemptsFailed++;
            }

            if (givingUp)
            {
                // The first connect's bound is reached: there is no delay to wait out. Its row (BackoffElapsed
                // [FirstConnectBoundReached]) is taken now, so no deadline is left due for a driver to spin on.
                _connectionDeadline = Never;
                FireConnection(ConnectionTrigger.BackoffElapsed);
            }
        }

        /// <summary>
        /// After a failure: the next attempt dials the Server Reference the broker gave, when the user follows them, else the
        /// next listed server (ServerRotationRules). A reference is dialled once; if that fails too, the list goes on.
        /// </summary>
        private void MoveToNextServer()
        {
            if (_referenceToFollow != null)
            {
                _dialReference = _referenceToFollow;
                _referenceToFollow = null;
                return;
            }

            _dialReference = null;
            _server = ServerRotationRules.NextServer(_server, Options.ServerCount);
        }

        private void FailConnect()
        {
            bool refused = _refusal > 0;
            FailConnectCallers(refused ? FailureKind.Refused : FailureKind.Configuration, refused ? _refusal : -1, _reason, _socketError);
        }

        /// <summary>Closes the link, stops the connect's deadline and fails every connect call with the one cause.</summary>
        private void FailConnectCallers(FailureKind failure, int returnCode, string reason, int socketError)
        {
            CloseLink();
            _connectionDeadline = Never;
            for (int i = 0; i < _connectCallers.Count; i++)
            {
                EngineEvent e = default(EngineEvent);
                e.Kind = EventKind.ConnectFailed;
                e.Caller = _connectCallers[i];
                e.Failure = failure;
                e.ReturnCode = returnCode;
                e.Reason = reason;
                e.SocketError = socketError;
                Emit(e);
            }

            _connectCallers.Clear();
        }

        private void SendDisconnect()
        {
            ArmConnectionDeadline(Options.ResponseTimeMs, ConnectionTrigger.ResponseTimeout);
            // Nothing may follow DISCONNECT [MQTT-3.14.4-2]: stop the pings first.
            FireKeepAlive(KeepAliveTrigger.LinkDown);
            EngineAction action = NewSend(PacketKind.Disconnect);
            action.NotifyWritten = true;
            action.ReasonCode = _disconnectReasonCode;
            Transmit(action);
        }

        private void CloseGracefully()
        {
            bool wasUp = CloseLink();
            _connectionDeadline = Never;
            if (wasUp)
            {
                Emit(EventKind.LinkDown, null, "disconnected by the application");
            }

            CompleteDisconnectCallers();
        }

        private void RejectConnect()
        {
            // The newest connect is the one this trigger came from.
            object caller = _connectCallers[_connectCallers.Count - 1];
            _connectCallers.RemoveAt(_connectCallers.Count - 1);
            Fail(EventKind.ConnectFailed, caller, FailureKind.DisconnectInProgress, "DisconnectAsync is still in progress: await it before connecting again.");
        }

        private void StopReconnecting()
        {
            CloseLink();
            _connectionDeadline = Never;
            for (int i = 0; i < _connectCallers.Count; i++)
            {
                Fail(EventKind.ConnectFailed, _connectCallers[i], FailureKind.Abandoned, "The connect was abandoned because DisconnectAsync was called.");
            }

            _connectCallers.Clear();
            CompleteDisconnectCallers();
        }

        private void Shutdown()
        {
            bool wasUp = _linkUp;
            CloseLink();
            _connectionDeadline = Never;
            _keepAliveDeadline = Never;
            _responseDeadline = Never;
            if (wasUp)
            {
                Emit(EventKind.LinkDown, null, "disposed");
            }

            for (int i = 0; i < _connectCallers.Count; i++)
            {
                Fail(EventKind.ConnectFailed, _connectCallers[i], FailureKind.Disposed, "The client was disposed before the connect completed.");
            }

            _connectCallers.Clear();
            FailReauthentication(FailureKind.Disposed, "The client was disposed before the re-authentication completed.");
            // Before the held messages are failed: their end must not read as a completed drain.
            FailDrains(FailureKind.Disposed, "The client was disposed before the drain completed.");
            FailEverythingHeld(FailureKind.Disposed, "The client was disposed before this call completed.");
            CompleteDisconnectCallers();
        }

        private void ArmConnectionDeadline(long delayMs, ConnectionTrigger trigger)
        {
            long deadline = _now + delayMs;
            long bound = FirstConnectDeadline();
            _connectionDeadline = bound < deadline ? bound : deadline;
            _connectionDeadlineTrigger = trigger;
        }

        /// <summary>When the first connect's time bound ends it (Never once connected, or without a bound): no deadline of the first connect waits past it.</summary>
        private long FirstConnectDeadline()
        {
            return _hasConnected || Options.FirstConnectTimeoutMs <= 0 ? Never : _connectStartedAt + Options.FirstConnectTimeoutMs;
        }

        private bool FirstConnectBoundReached()
        {
            return ConnectRules.FirstConnectBoundReached(_hasConnected, _attempts, Options.FirstConnectAttempts, _now - _connectStartedAt, Options.FirstConnectTimeoutMs);
        }

        private void GiveUpConnect()
        {
            string reason = "gave up on the first connect after " + _attempts.ToString() + (_attempts == 1 ? " attempt" : " attempts")
                + " in " + (_now - _connectStartedAt).ToString() + " ms"
                + (_lastAttemptReason.Length > 0 ? "; the last failed: " + _lastAttemptReason : "");
            FailConnectCallers(FailureKind.GaveUp, _lastAttemptRefusal, reason, _lastAttemptSocketError);
        }

        private void CompleteConnectCallers()
        {
            for (int i = 0; i < _connectCallers.Count; i++)
            {
                Emit(EventKind.ConnectCompleted, _connectCallers[i], "connected");
            }

            _connectCallers.Clear();
        }

        private void CompleteDisconnectCallers()
        {
            for (int i = 0; i < _disconnectCallers.Count; i++)
            {
                Emit(EventKind.DisconnectCompleted, _disconnectCallers[i], "disconnected");
            }

            _disconnectCallers.Clear();
        }
    }
}
