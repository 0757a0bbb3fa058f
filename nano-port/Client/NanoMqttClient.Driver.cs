using StateMachineMqtt.Engine;
using StateMachineMqtt.Nano.Codec;

namespace StateMachineMqtt.Nano.Client
{
    // Carrying out the engine's polls: actions on the link, events as callbacks, received messages to the application.
    public sealed partial class NanoMqttClient
    {
        private bool _pumping;
        private bool _connectRejected;

        /// <summary>
        /// Carries out every action the engine has queued (and those that carrying them out brings), sends what the buffer
        /// takes, and raises the events. Re-entrant calls (from a callback) only return: the outer pump goes on.
        /// </summary>
        private void Pump(long now)
        {
            if (_pumping)
            {
                return;
            }

            _pumping = true;
            try
            {
                bool busy = true;
                while (busy)
                {
                    busy = false;
                    EngineAction action;
                    while (_engine.PollAction(out action))
                    {
                        CarryOut(action, now);
                        busy = true;
                    }

                    // Writing may tell the engine something (written, or the link failed): then go round again.
                    busy |= Transmit(now);
                    EngineEvent e;
                    while (_engine.PollEvent(out e))
                    {
                        Raise(e);
                        busy = true; // a callback may have called the client
                    }
                }
            }
            finally
            {
                _pumping = false;
            }
        }

        private void CarryOut(EngineAction action, long now)
        {
            if (action.Kind == ActionKind.OpenLink)
            {
                OpenLink(action.Link, now);
            }
            else if (action.Kind == ActionKind.CloseLink)
            {
                if (action.Link == _socketLink)
                {
                    CloseSocket();
                }
            }
            else if (action.Link == _socketLink && _open)
            {
                _unsent.Enqueue(action, 0);
            }

            // A send for a link already closed is dropped: the engine has moved on, and will send again on the next one.
        }

        /// <summary>Hands received messages to the application; taking one makes the engine acknowledge it.</summary>
        private void Deliver(long now)
        {
            while (_engine.State != StateMachineMqtt.Spec.ConnectionState.Disposed && _engine.HasMessage)
            {
                InboundMessage message = _engine.TakeMessage(now);
                Pump(now);
                if (_v5 != null && _v5.Events != null)
                {
                    _v5.Events.MessageReceived(message.Topic, message.Payload, message.Qos, message.Retain, message.Dup, (NanoProperties)message.Properties);
                }
                else
                {
                    _events.MessageReceived(message.Topic, message.Payload, message.Qos, message.Retain, message.Dup);
                }
            }
        }

        /// <summary>One engine event as what the application hears: callbacks, LastError, or nothing.</summary>
        private void Raise(EngineEvent e)
        {
            switch (e.Kind)
            {
                case EventKind.LinkUp:
                    _events.ConnectionChanged(true);
                    break;
                case EventKind.LinkDown:
                    LastError = e.Reason;
                    ReasonCode(e.ReturnCode); // MQTT 5: the broker's DISCONNECT, if it sent one
                    _events.ConnectionChanged(false);
                    break;
                case EventKind.ConnectAttemptFailed:
                    LastError = e.Reason;
                    ReasonCode(e.ReturnCode);
                    break;
                case EventKind.RequestFailed:
                    LastError = e.Reason;
                    ReasonCode(e.ReturnCode);
                    if (_v5 != null && (e.Failure == FailureKind.SubscriptionRefused || e.Failure == FailureKind.UnsubscribeRefused))
                    {
                        RaiseRequestRefused5(e);
                    }

                    break;
                case EventKind.MessageTooLarge:
                    LastError = e.Reason;
                    ReasonCode(-1);
                    break;
                case EventKind.PublishFailed:
                    // Only MQTT 5 fails a held publish on the broker's word: a refusing PUBACK or PUBREC, or its Maximum Packet Size.
                    if (e.Failure == FailureKind.PublishRefused || e.Failure == FailureKind.TooLarge)
                    {
                        int code = e.Failure == FailureKind.PublishRefused ? e.ReturnCode : -1;
                        LastError = e.Reason;
                        ReasonCode(code);
                        if (_v5 != null && _v5.Events != null)
                        {
                            _v5.Events.PublishFailed(e.Caller as string, code, e.Reason);
                        }
                    }

                    break;
                case EventKind.ConnectFailed:
                    if (e.Failure == FailureKind.DisconnectInProgress)
                    {
                        _connectRejected = true;
                    }
                    else if (e.Failure == FailureKind.Configuration || e.Failure == FailureKind.Refused || e.Failure == FailureKind.GaveUp)
                    {
                        ReasonCode(e.Failure == FailureKind.Configuration ? -1 : e.ReturnCode);
                        LastError = FailureReason(e);
                        _events.ConnectFailed(LastError);
                    }

                    break;
                default:
                    break;
            }
        }

        /// <summary>MQTT 5: keeps the reason code that goes with <see cref="LastError"/> (-1: none).</summary>
        private void ReasonCode(int code)
        {
            if (_v5 != null)
            {
                _v5.LastReasonCode = code;
            }
        }

        /// <summary>What to fix, in words, for a connect the engine failed for good.</summary>
        private string FailureReason(EngineEvent e)
        {
            if (e.Failure == FailureKind.GaveUp)
            {
                return "Could not connect to " + _options.Host + ":" + _options.Port.ToString() + ": " + e.Reason + ". Check that the broker runs there, or raise FirstConnectTimeoutMilliseconds / FirstConnectAttempts.";
            }

            if (e.Failure == FailureKind.Configuration)
            {
                return "The broker address " + _options.Host + ":" + _options.Port.ToString() + " cannot be used (socket error " + e.SocketError.ToString() + "). Check NanoMqttOptions.Host and Port.";
            }

            if (_v5 != null)
            {
                return RefusalReason5(e.ReturnCode);
            }

            switch (e.ReturnCode)
            {
                case 1: return "CONNACK 0x01: the broker does not accept MQTT 3.1.1 (protocol level 4). Use a broker that speaks MQTT 3.1.1.";
                case 2: return "CONNACK 0x02: the broker rejected the client identifier. Set another NanoConnectOptions.ClientId.";
                case 4: return "CONNACK 0x04: bad user name or password. Check NanoConnectOptions.UserName and Password.";
                case 5: return "CONNACK 0x05: not authorised. Check the broker's access rules for this client and user.";
                default: return "CONNACK refused the connection with return code " + e.ReturnCode.ToString() + ".";
            }
        }
    }
}
