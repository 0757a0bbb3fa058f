using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Engine
{
    /// <summary>
    /// MQTT 5 enhanced authentication: the Authentication machine's guards and effects, and what the driver reports of the
    /// broker's AUTH packets and of the application's authenticator. The authenticator's data stay with the driver; the
    /// engine decides when each is asked for and sent.
    /// </summary>
    public sealed partial class SessionEngine : IAuthenticationGuards
    {
        private AuthenticationExchange _auth; // null until the first CONNECT of a client that names an Authentication Method

        /// <summary>
        /// Starts a re-authentication [MQTT-4.12.1-1]; <paramref name="caller"/> hears ReauthenticationCompleted or
        /// ReauthenticationFailed. Connected, the authenticator is asked for fresh data for AUTH 0x19; otherwise the next
        /// CONNECT authenticates afresh and its CONNACK completes the call. A call during one under way joins it.
        /// </summary>
        public void Reauthenticate(object caller, long now)
        {
            _now = now;
            EnsureNotDisposed();
            if (Options.AuthenticationMethod == null)
            {
                throw new System.InvalidOperationException("Re-authentication needs MQTT 5 enhanced authentication: the driver must refuse it for a client that names no Authentication Method.");
            }

            Authentication().Callers.Add(caller);
            FireAuthentication(AuthenticationTrigger.Reauthenticate, "");
        }

        /// <summary>The caller stopped waiting for its re-authentication; the exchange, if under way, goes on.</summary>
        public void CancelReauthenticate(object caller, long now)
        {
            _now = now;
            if (_auth != null)
            {
                RemoveFrom(_auth.Callers, caller);
            }
        }

        /// <summary>
        /// An MQTT 5 AUTH arrived on <paramref name="link"/> with <paramref name="reasonCode"/>, its Authentication Method
        /// (null when absent) and reason string. The driver keeps its Authentication Data for the authenticator. For a client
        /// that named no method, any AUTH is a protocol violation [MQTT-4.12.0-6]; otherwise the table judges it.
        /// </summary>
        public void HandleAuth(int link, int reasonCode, string method, string reasonString, long now)
        {
            if (Arrive(link, PacketKind.Auth, now) != InboundAction.Auth)
            {
                return;
            }

            string said = "the broker sent AUTH 0x" + reasonCode.ToString("X2") + (reasonString == null ? "" : " (" + reasonString + ")");
            if (_auth == null)
            {
                FireConnection(ConnectionTrigger.ProtocolViolation, said + ", but this client named no Authentication Method in CONNECT [MQTT-4.12.0-6]", 0);
                return;
            }

            string state = _auth.StateName();
            FireAuthentication(AuthenticationRules.Classify(reasonCode, method, Options.AuthenticationMethod),
                said + " naming method " + (method == null ? "(none)" : "'" + method + "'") + " with authentication " + state + " [MQTT-4.12.0-5] [MQTT-4.8.0-1]");
        }

        /// <summary>
        /// The authenticator answered question <paramref name="question"/> (an Authenticate* action's PacketId) for
        /// <paramref name="link"/>; the driver holds the data. An answer to an older question, or for another link, is stale.
        /// </summary>
        public void HandleAuthenticatorAnswer(int link, int question, long now)
        {
            _now = now;
            if (IsCurrentQuestion(link, question))
            {
                _auth.Answered = true;
                FireAuthentication(AuthenticationTrigger.AnswerReady, "");
            }
        }

        /// <summary>The authenticator failed question <paramref name="question"/> for <paramref name="link"/>, for <paramref name="reason"/>.</summary>
        public void HandleAuthenticatorFailed(int link, int question, string reason, long now)
        {
            _now = now;
            if (IsCurrentQuestion(link, question))
            {
                _auth.Answered = true;
                FireAuthentication(AuthenticationTrigger.AnswerFailed, reason);
            }
        }

        /// <summary>An answer counts once, for the question last put on the current link; any other is stale.</summary>
        private bool IsCurrentQuestion(int link, int question)
        {
            return IsCurrent(link) && _auth != null && question == _auth.Question && !_auth.Answered;
        }

        /// <summary>The Authentication machine's state; Idle for a client that names no method.</summary>
        public AuthenticationState AuthenticationState
        {
            get { return _auth == null ? AuthenticationTable.Initial : _auth.Machine.State; }
        }

        /// <summary>The Authentication table's guards.</summary>
        public bool Holds(AuthenticationGuard guard)
        {
            switch (guard)
            {
                case AuthenticationGuard.Connected: return _connection.State == ConnectionState.Connected;
                case AuthenticationGuard.NotConnected: return _connection.State != ConnectionState.Connected;
                default: return true;
            }
        }

        private AuthenticationExchange Authentication()
        {
            if (_auth == null)
            {
                _auth = new AuthenticationExchange(_machines.CreateAuthentication(this));
            }

            return _auth;
        }

        /// <summary>CONNECT is due on a new link: a client that names a method first asks its authenticator for the data it carries.</summary>
        private void StartConnect()
        {
            if (Options.AuthenticationMethod == null)
            {
                TransmitConnect();
                return;
            }

            Authentication();
            FireAuthentication(AuthenticationTrigger.LinkOpened, "");
        }

        /// <summary>
        /// An accepting CONNACK's Authentication Method is judged: it must be the CONNECT's [MQTT-4.12.0-5], or absent when
        /// the CONNECT named none [MQTT-4.12.0-6]. False when the CONNACK broke the exchange and the link is closing.
        /// </summary>
        private bool AcceptAuthentication(string method)
        {
            string problem = AuthenticationRules.ConnAckProblem(Options.AuthenticationMethod, method);
            if (problem != null)
            {
                FireConnection(ConnectionTrigger.ProtocolViolation, problem, 0);
                return false;
            }

            if (_auth != null)
            {
                FireAuthentication(AuthenticationTrigger.ConnAckAccepted, "the broker sent CONNACK with authentication " + _auth.StateName() + " [MQTT-3.2.0-1]");
            }

            return _connection.State == ConnectionState.AwaitingConnAck;
        }

        private void FireAuthentication(AuthenticationTrigger trigger, string reason)
        {
            AuthenticationEffect effect = _auth.Machine.Fire(trigger);
            bool reauthenticating = IsReauthenticating(_auth.Machine.State);
            if (!reauthenticating)
            {
                _auth.Deadline = Never;
            }

            switch (effect)
            {
                case AuthenticationEffect.None: break;
                case AuthenticationEffect.HoldForConnect: break; // the caller is already in the list; the next CONNACK completes it
                case AuthenticationEffect.AskToStart: Ask(ActionKind.AuthenticateStart, reauthenticating ? AuthenticationRules.Reauthenticate : 0); break;
                case AuthenticationEffect.AskToContinue: Ask(ActionKind.AuthenticateContinue, AuthenticationRules.ContinueAuthentication); break;
                case AuthenticationEffect.SendConnect: TransmitConnect(); break;
                case AuthenticationEffect.SendContinue: SendAuth(AuthenticationRules.ContinueAuthentication); break;
                case AuthenticationEffect.SendReauthenticate: SendAuth(AuthenticationRules.Reauthenticate); break;
                case AuthenticationEffect.Complete: CompleteAuthentication(); break;
                case AuthenticationEffect.Violation:
                    FailReauthentication(FailureKind.AuthenticationFailed, reason);
                    FireConnection(ConnectionTrigger.ProtocolViolation, reason, 0);
                    break;
                case AuthenticationEffect.AuthenticatorFailed: AuthenticatorFailed(reason); break;
                case AuthenticationEffect.Overdue: ReauthenticationOverdue(); break;
                case AuthenticationEffect.AbandonReauthentication:
                    FailReauthentication(FailureKind.AuthenticationFailed, "the client is disconnecting, and nothing may follow its DISCONNECT: the re-authentication cannot finish");
                    break;
                case AuthenticationEffect.FailReauthentication:
                    FailReauthentication(FailureKind.AuthenticationFailed, "the link closed before the re-authentication finished" + (reason.Length > 0 ? ": " + reason : ""));
                    break;
                default: throw new System.InvalidOperationException("Authentication effect " + ((int)effect).ToString() + " has no binding in the engine.");
            }
        }

        private static bool IsReauthenticating(AuthenticationState state)
        {
            return state == AuthenticationState.ReauthStarting || state == AuthenticationState.Reauthenticating || state == AuthenticationState.ReauthAnswering;
        }

        /// <summary>Puts a question to the authenticator and starts its clock: the re-authentication's deadline, or the connect's response time.</summary>
        private void Ask(ActionKind kind, int reasonCode)
        {
            _auth.Question++;
            _auth.Answered = false;
            ArmAuthenticationClock();
            EngineAction action = default(EngineAction);
            action.Kind = kind;
            action.Link = _link;
            action.PacketId = _auth.Question;
            action.ReasonCode = reasonCode;
            _actions.Enqueue(action);
        }

        private void SendAuth(int reasonCode)
        {
            ArmAuthenticationClock();
            EngineAction action = NewSend(PacketKind.Auth);
            action.ReasonCode = reasonCode;
            Transmit(action);
        }

        private void ArmAuthenticationClock()
        {
            if (IsReauthenticating(_auth.Machine.State))
            {
                _auth.Deadline = _now + Options.ResponseTimeMs;
            }
            else if (_connection.State == ConnectionState.AwaitingConnAck)
            {
                // Each step of the exchange before CONNACK gets the whole response time, as the CONNECT did.
                ArmConnectionDeadline(Options.ResponseTimeMs, ConnectionTrigger.ResponseTimeout);
            }
        }

        private void CompleteAuthentication()
        {
            for (int i = 0; i < _auth.Callers.Count; i++)
            {
                Emit(EventKind.ReauthenticationCompleted, _auth.Callers[i], "re-authenticated");
            }

            _auth.Callers.Clear();
            Ask(ActionKind.AuthenticateFinish, 0);
        }

        private void AuthenticatorFailed(string reason)
        {
            string said = "the authenticator failed: " + reason;
            FailReauthentication(FailureKind.AuthenticationFailed, said);
            FireConnection(ConnectionTrigger.ConfigurationError, said, 0);
        }

        private void ReauthenticationOverdue()
        {
            string said = "the re-authentication did not finish within the response time (" + Options.ResponseTimeMs.ToString() + " ms)";
            FailReauthentication(FailureKind.AuthenticationFailed, said);
            FireConnection(ConnectionTrigger.ResponseTimeout, said, 0);
        }

        private void FailReauthentication(FailureKind failure, string reason)
        {
            if (_auth == null)
            {
                return;
            }

            for (int i = 0; i < _auth.Callers.Count; i++)
            {
                Fail(EventKind.ReauthenticationFailed, _auth.Callers[i], failure, reason);
            }

            _auth.Callers.Clear();
        }

        /// <summary>The link closed: the exchange under way ends with it.</summary>
        private void OnLinkLostForAuthentication()
        {
            if (_auth != null)
            {
                FireAuthentication(AuthenticationTrigger.LinkDown, _reason);
            }
        }

        private void OnAuthenticationDeadline()
        {
            _auth.Deadline = Never;
            FireAuthentication(AuthenticationTrigger.ResponseTimeout, "");
        }
    }
}
