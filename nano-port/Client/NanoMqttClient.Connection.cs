using System;
using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Nano.Interpreter;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Client
{
    // The Connection machine: its guards, and the code bound to each of its effects.
    public sealed partial class NanoMqttClient
    {
        private bool _hasConnected;
        private bool _linkUp;
        private bool _connectUnanswered;
        private bool _sessionInDoubt;
        private int _attempt;
        private long _backoffDue;
        private long _deadline;
        private int _linkGeneration;
        private string _failReason;

        private void FireConnection(ConnectionTrigger trigger)
        {
            ConnectionTransition row = _connection.Fire(trigger);
            switch (row.Effect)
            {
                case ConnectionEffect.None:
                case ConnectionEffect.PollSocket:
                    // EINPROGRESS / EWOULDBLOCK: the next Poll asks the socket again, under the same deadline.
                    break;
                case ConnectionEffect.OpenSocket:
                    OpenSocket();
                    break;
                case ConnectionEffect.SendConnect:
                    SendConnect();
                    break;
                case ConnectionEffect.ResumeSession:
                    LinkEstablished(false);
                    break;
                case ConnectionEffect.StartNewSession:
                    LinkEstablished(true);
                    break;
                case ConnectionEffect.CloseAndBackoff:
                    CloseLink();
                    _backoffDue = _clock.NowMilliseconds + BackoffDelay(_attempt++);
                    break;
                case ConnectionEffect.FailConnect:
                    CloseLink();
                    LastError = _failReason;
                    _events.ConnectFailed(_failReason);
                    break;
                case ConnectionEffect.SendDisconnect:
                    _outbox.Compact();
                    if (NanoPacketWriter.WriteFixed(_outbox.Buffer, _outbox.WriteOffset, NanoPacketWriter.Disconnect) > 0)
                    {
                        Sent(NanoPacketWriter.Disconnect.Length);
                    }

                    // A full send buffer leaves no room for DISCONNECT: the deadline then closes the link without it.
                    _deadline = _clock.NowMilliseconds + _options.ResponseTimeMilliseconds;
                    break;
                case ConnectionEffect.CloseGracefully:
                case ConnectionEffect.StopReconnecting:
                case ConnectionEffect.Shutdown:
                    CloseLink();
                    break;
                case ConnectionEffect.RejectConnect:
                    throw new InvalidOperationException("Connect was called while Disconnect is still in progress: poll until State is Closed, then call Connect.");
                default:
                    throw new InvalidOperationException("Connection effect " + row.Effect.ToString() + " has no binding in nano-port/.");
            }
        }

        private void OpenSocket()
        {
            CloseLink();
            _deadline = _clock.NowMilliseconds + _options.ResponseTimeMilliseconds;
            int code = _socket.Connect(_options.Host, _options.Port);
            OnOpenResult(code);
        }

        private void PollOpening(long now)
        {
            if (now >= _deadline)
            {
                LastError = "the connection to " + _options.Host + " did not open within the response time";
                FireConnection(ConnectionTrigger.ResponseTimeout);
                return;
            }

            OnOpenResult(_socket.Poll());
        }

        private void OnOpenResult(int code)
        {
            if (code == 0)
            {
                FireConnection(ConnectionTrigger.SocketOpened);
                return;
            }

            ConnectionTrigger trigger = NanoSocketErrors.Classify(code);
            if (trigger != ConnectionTrigger.SocketPending)
            {
                LastError = "socket error " + code.ToString() + " connecting to " + _options.Host;
                _failReason = "The broker address " + _options.Host + ":" + _options.Port.ToString() + " cannot be used (socket error " + code.ToString() + "). Check NanoMqttOptions.Host and Port.";
            }

            FireConnection(trigger);
        }

        private void SendConnect()
        {
            int length = NanoPacketWriter.WriteConnect(_outbox.Buffer, _outbox.WriteOffset, _options.Connect);
            if (length < 0)
            {
                throw new ArgumentException("CONNECT does not fit in the send buffer of " + _options.SendBufferSize.ToString() + " bytes: raise NanoMqttOptions.SendBufferSize.");
            }

            Sent(length);
            _connectUnanswered = true;
            _deadline = _clock.NowMilliseconds + _options.ResponseTimeMilliseconds;
        }

        /// <summary>CONNACK accepted the link: keepalive starts, subscriptions are restored, held messages go again.</summary>
        private void LinkEstablished(bool newSession)
        {
            _hasConnected = true;
            _attempt = 0;
            _linkUp = true;
            _sessionInDoubt = false;
            FireKeepAlive(KeepAliveTrigger.LinkUp);
            _events.ConnectionChanged(true);
            RestoreSubscriptions(newSession);
            TransmitHeld();
        }

        /// <summary>Closes the socket and everything tied to this link; held messages stay held for the next one (I1).</summary>
        private void CloseLink()
        {
            _linkGeneration++;
            // A CONNECT that dies unanswered may still have made the broker create a new, empty session.
            if (_connectUnanswered)
            {
                _sessionInDoubt = true;
                _connectUnanswered = false;
            }

            _socket.Close();
            _outbox.Clear();
            _inboxCount = 0;
            if (_keepAlive.State != KeepAliveState.Inactive)
            {
                FireKeepAlive(KeepAliveTrigger.LinkDown);
            }

            MarkHeldForResend();
            ForgetPendingRequests();
            if (_linkUp)
            {
                _linkUp = false;
                _events.ConnectionChanged(false);
            }
        }

        /// <summary>Exponential: initial × 2^attempt, capped at the maximum.</summary>
        private int BackoffDelay(int attempt)
        {
            long delay = _options.BackoffInitialMilliseconds;
            for (int i = 0; i < attempt && delay < _options.BackoffMaxMilliseconds; i++)
            {
                delay *= 2;
            }

            return (int)(delay < _options.BackoffMaxMilliseconds ? delay : _options.BackoffMaxMilliseconds);
        }

        private sealed class ConnectionGuards : IConnectionGuards
        {
            private readonly NanoMqttClient _client;

            public ConnectionGuards(NanoMqttClient client)
            {
                _client = client;
            }

            public bool Holds(ConnectionGuard guard)
            {
                switch (guard)
                {
                    case ConnectionGuard.NeverConnected: return !_client._hasConnected;
                    case ConnectionGuard.HasConnectedBefore: return _client._hasConnected;
                    case ConnectionGuard.SessionTrusted: return !_client._sessionInDoubt;
                    case ConnectionGuard.SessionInDoubt: return _client._sessionInDoubt;
                    default: return true;
                }
            }
        }
    }
}
