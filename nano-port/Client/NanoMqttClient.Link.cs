using System;
using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Client
{
    // One poll of an open link: flush what is queued, read what arrived, then the timers. Every socket result goes
    // through spec/'s SocketErrorTable (NanoSocketErrors), so EWOULDBLOCK keeps the state and ETIMEDOUT / ECONNRESET lose the link.
    public sealed partial class NanoMqttClient
    {
        private int _inboxCount;

        private void PollLink(long now)
        {
            int generation = _linkGeneration;
            if (!Flush() || generation != _linkGeneration)
            {
                return;
            }

            ReceiveAvailable();
            if (generation != _linkGeneration)
            {
                return;
            }

            ConnectionState state = _connection.State;
            if (state == ConnectionState.Connected)
            {
                CheckPublishDeadlines(now);
                if (generation == _linkGeneration)
                {
                    CheckRequestDeadlines(now);
                }

                if (generation == _linkGeneration && _keepAliveDue >= 0 && now >= _keepAliveDue)
                {
                    FireKeepAlive(KeepAliveTrigger.Tick);
                }

                if (generation == _linkGeneration)
                {
                    SendUnsentRequests();
                    TransmitHeld();
                    Flush();
                }
            }
            else if (now >= _deadline)
            {
                LastError = state == ConnectionState.AwaitingConnAck ? "no CONNACK within the response time" : "DISCONNECT could not be written within the response time";
                FireConnection(ConnectionTrigger.ResponseTimeout);
            }
            else if (state == ConnectionState.Disconnecting && _outbox.Pending == 0)
            {
                FireConnection(ConnectionTrigger.DisconnectFlushed);
            }
        }

        /// <summary>Sends what the socket takes; false when the link was lost doing so.</summary>
        private bool Flush()
        {
            if (_outbox.Pending == 0)
            {
                return true;
            }

            int code = _outbox.Flush(_socket);
            if (code == 0)
            {
                return true;
            }

            OnSocketError(code, "sending");
            return _connection.State != ConnectionState.Backoff && _connection.State != ConnectionState.Closed;
        }

        private void ReceiveAvailable()
        {
            int generation = _linkGeneration;
            while (generation == _linkGeneration)
            {
                if (_inboxCount == _inbox.Length)
                {
                    // Full but no whole packet: TryRead refuses oversized packets, so this is only a stalled PUBACK; retry later.
                    return;
                }

                int code = _socket.Receive(_inbox, _inboxCount, _inbox.Length - _inboxCount, out int received);
                if (code != 0)
                {
                    OnSocketError(code, "receiving");
                    return;
                }

                if (received == 0)
                {
                    LastError = "the broker closed the connection";
                    FireConnection(ConnectionTrigger.LinkLost);
                    return;
                }

                _inboxCount += received;
                if (!DispatchReceived())
                {
                    return;
                }
            }
        }

        /// <summary>Decodes and handles every whole packet in the inbox; false when the link closed or handling must wait.</summary>
        private bool DispatchReceived()
        {
            int generation = _linkGeneration;
            int offset = 0;
            try
            {
                while (generation == _linkGeneration)
                {
                    if (_outbox.Free < 8)
                    {
                        break; // no room for the PUBACK a PUBLISH may need: read the rest next poll
                    }

                    int length = NanoPacketReader.TryRead(_inbox, offset, _inboxCount - offset, _inbox.Length, _received);
                    if (length == 0)
                    {
                        break;
                    }

                    offset += length;
                    Handle(_received);
                }
            }
            catch (NanoProtocolException e)
            {
                LastError = e.Message;
                FireConnection(ConnectionTrigger.ProtocolViolation);
                return false;
            }

            if (generation != _linkGeneration)
            {
                return false;
            }

            Array.Copy(_inbox, offset, _inbox, 0, _inboxCount - offset);
            _inboxCount -= offset;
            return true;
        }

        /// <summary>A socket result other than success: classified by spec/'s table.</summary>
        private void OnSocketError(int code, string doing)
        {
            ConnectionTrigger trigger = NanoSocketErrors.Classify(code);
            if (trigger == ConnectionTrigger.ConfigurationError)
            {
                // "Address unusable" only means something while opening; on an open link it is just a broken link.
                trigger = ConnectionTrigger.LinkLost;
            }

            if (trigger != ConnectionTrigger.SocketPending)
            {
                LastError = "socket error " + code.ToString() + " " + doing;
            }

            FireConnection(trigger);
        }

        /// <summary>Counts <paramref name="length"/> bytes just encoded into the outbox as sent, for keepalive [MQTT-3.1.2-23].</summary>
        private void Sent(int length)
        {
            _outbox.Commit(length);
            _lastSent = _clock.NowMilliseconds;
        }
    }
}
