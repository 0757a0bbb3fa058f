using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Engine
{
    /// <summary>The link: opening and closing it, what the driver reports of it, and the one way anything is sent.</summary>
    public sealed partial class SessionEngine
    {
        private int _link;
        private bool _linkActive; // an attempt is under way, or the link is open
        private bool _linkOpen;

        /// <summary>
        /// Link <paramref name="link"/> is open. A link the engine no longer wants is closed again at once; a repeated report
        /// for the current link, already open, changes nothing.
        /// </summary>
        public void HandleLinkOpened(int link, long now)
        {
            _now = now;
            if (IsCurrent(link) && _linkOpen)
            {
                // Still wanted: closing it would leave the engine believing it up and sending on a closed link.
                return;
            }

            if (link != _link || !_linkActive || _linkOpen || _connection.State != ConnectionState.Connecting)
            {
                EngineAction close = default(EngineAction);
                close.Kind = ActionKind.CloseLink;
                close.Link = link;
                _actions.Enqueue(close);
                return;
            }

            _linkOpen = true;
            FireConnection(ConnectionTrigger.SocketOpened);
        }

        /// <summary>A socket operation on link <paramref name="link"/> reported EINPROGRESS / EWOULDBLOCK: not an error.</summary>
        public void HandleLinkPending(int link, long now)
        {
            _now = now;
            if (IsCurrent(link))
            {
                FireConnection(ConnectionTrigger.SocketPending);
            }
        }

        /// <summary>
        /// Opening or using link <paramref name="link"/> failed with <paramref name="socketError"/> (a SocketErrorCode value),
        /// classified by spec/'s socket-error table. Once a link is open no error means the address is unusable: it is lost.
        /// </summary>
        public void HandleLinkError(int link, int socketError, string description, long now)
        {
            _now = now;
            if (!IsCurrent(link))
            {
                return;
            }

            ConnectionTrigger trigger = SocketErrorTable.Classify(socketError);
            if (trigger == ConnectionTrigger.ConfigurationError && _linkOpen)
            {
                trigger = ConnectionTrigger.LinkLost;
            }

            FireConnection(trigger, (_linkOpen ? "" : "connect failed: ") + description, socketError);
        }

        /// <summary>
        /// Link <paramref name="link"/> cannot be used for a reason no socket code names, and retrying cannot fix it until the
        /// settings change (a TLS certificate or host name not trusted): a configuration error while opening, else a lost link.
        /// </summary>
        public void HandleUnusableAddress(int link, string description, long now)
        {
            _now = now;
            if (IsCurrent(link))
            {
                FireConnection(_linkOpen ? ConnectionTrigger.LinkLost : ConnectionTrigger.ConfigurationError, description, 0);
            }
        }

        /// <summary>The broker closed link <paramref name="link"/> (end of stream).</summary>
        public void HandleLinkClosed(int link, string description, long now)
        {
            _now = now;
            if (IsCurrent(link))
            {
                FireConnection(ConnectionTrigger.LinkLost, description, 0);
            }
        }

        /// <summary>The decoder refused what came on link <paramref name="link"/>: malformed input closes the link [MQTT-4.8.0-1].</summary>
        public void HandleMalformed(int link, string description, long now)
        {
            _now = now;
            if (IsCurrent(link) && _linkOpen)
            {
                FireConnection(ConnectionTrigger.ProtocolViolation, description, 0);
            }
        }

        /// <summary>
        /// Bytes arrived on link <paramref name="link"/> but no packet is whole yet (a large packet on a slow link, or one
        /// being read past): the link is alive, so keepalive counts it as heard (I5 is about silence, and this is not).
        /// </summary>
        public void HandleBytesReceived(int link, long now)
        {
            _now = now;
            if (IsCurrent(link) && _linkOpen)
            {
                _lastReceived = now;
                FireKeepAlive(KeepAliveTrigger.PacketReceived);
            }
        }

        /// <summary>An action whose <see cref="EngineAction.NotifyWritten"/> was set has been written to its link.</summary>
        public void HandleWritten(EngineAction action, long now)
        {
            _now = now;
            if (action.Packet == PacketKind.Disconnect)
            {
                if (IsCurrent(action.Link))
                {
                    FireConnection(ConnectionTrigger.DisconnectFlushed);
                }

                return;
            }

            OutboundMessage message = action.Message;
            if (action.Packet == PacketKind.Publish && message != null && message.Held && message.Qos == 0 && message.WrittenOnLink == action.Link)
            {
                // QoS 0 completes once written [MQTT-4.3.1]: nothing more will ever be known of it.
                _statistics.Written++;
                Emit(EventKind.PublishCompleted, message.Caller, "written");
                Forget(message);
            }
        }

        private bool IsCurrent(int link)
        {
            return link == _link && _linkActive;
        }

        private void OpenLink()
        {
            if (_linkActive)
            {
                // Abandon the attempt under way (EINPROGRESS restarts it): its late results no longer match.
                EngineAction abandon = default(EngineAction);
                abandon.Kind = ActionKind.CloseLink;
                abandon.Link = _link;
                _actions.Enqueue(abandon);
            }

            _link++;
            _linkActive = true;
            _linkOpen = false;
            EngineAction open = default(EngineAction);
            open.Kind = ActionKind.OpenLink;
            open.Link = _link;
            open.Server = _server;
            open.ServerReference = _dialReference;
            _actions.Enqueue(open);
        }

        /// <summary>Closes whatever link exists and tells the other machines. Returns true when the link had been up.</summary>
        private bool CloseLink()
        {
            bool wasUp = _linkUp;
            _linkUp = false;
            // A CONNECT that died unanswered may still have made the broker create a new, empty session (I8).
            _sessionInDoubt |= _connectUnanswered;
            _connectUnanswered = false;
            if (_linkActive)
            {
                EngineAction close = default(EngineAction);
                close.Kind = ActionKind.CloseLink;
                close.Link = _link;
                _actions.Enqueue(close);
            }

            _linkActive = false;
            _linkOpen = false;
            ForgetCredentials();
            _link++; // late results of the closed link no longer match
            FireKeepAlive(KeepAliveTrigger.LinkDown);
            OnLinkLostForFlows();
            OnLinkLostForAuthentication();
            return wasUp;
        }

        private EngineAction NewSend(PacketKind packet)
        {
            EngineAction action = default(EngineAction);
            action.Kind = ActionKind.Send;
            action.Link = _link;
            action.Packet = packet;
            return action;
        }

        /// <summary>
        /// The one way anything is sent: the send rules decide whether it may go in this state (I3); a refusal is counted
        /// (the tests hold the count at 0). Keepalive counts what was sent [MQTT-3.1.2-23].
        /// </summary>
        private bool Transmit(EngineAction action)
        {
            if (!_linkOpen || !SendRules.MaySend(_connection.State, action.Packet))
            {
                _statistics.SendsRefused++;
                return false;
            }

            _lastSent = _now;
            _actions.Enqueue(action);
            return true;
        }

        /// <summary>The start of every packet handler: stale links are ignored, any packet proves the link alive, and the table says what it means.</summary>
        private InboundAction Arrive(int link, PacketKind packet, long now)
        {
            _now = now;
            if (!IsCurrent(link) || !_linkOpen)
            {
                return InboundAction.Ignore;
            }

            _lastReceived = now;
            FireKeepAlive(KeepAliveTrigger.PacketReceived);
            InboundAction action = InboundDispatchTable.Dispatch(_dispatch, _connection.State, packet, Options.ProtocolVersion);
            if (action == InboundAction.ProtocolViolation)
            {
                // The reason names the packet and quotes spec/'s rule, so a user reading it knows what the broker did wrong.
                FireConnection(ConnectionTrigger.ProtocolViolation, "the broker sent " + PacketKindNames.Of(packet) + " in " + StateName() + ", a protocol violation: "
                    + InboundDispatchTable.RuleFor(_dispatch, _connection.State, packet, Options.ProtocolVersion) + " [MQTT-4.8.0-1]", 0);
                return InboundAction.ProtocolViolation;
            }

            if (action == InboundAction.Ignore)
            {
                Ignored("packet type " + ((int)packet).ToString() + " ignored in " + StateName());
            }

            return action;
        }

        private void Ignored(string reason)
        {
            _statistics.PacketsIgnored++;
            Emit(EventKind.PacketIgnored, null, reason);
        }
    }
}
