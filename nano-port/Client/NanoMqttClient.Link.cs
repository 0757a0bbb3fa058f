using System;
using StateMachineMqtt.Engine;
using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Client
{
    // The socket, as mechanism only: open it when the engine asks, report how that went, encode the engine's packets into
    // the send buffer and flush it, read and decode what arrived and hand each packet to the engine. Every result is
    // reported with the engine's link number, so the engine can ignore a stale one.
    public sealed partial class NanoMqttClient
    {
        /// <summary>Sends waiting to be encoded beyond which the socket is not read (each packet read may add one).</summary>
        private const int UnsentReadLimit = 16;

        private readonly NanoOutbox _outbox;
        private readonly byte[] _inbox;
        private readonly NanoPacket _received = new NanoPacket();
        private readonly NanoActionRing _unsent = new NanoActionRing(16);
        private readonly NanoActionRing _awaitingWrite = new NanoActionRing(16);
        private int _inboxStart;
        private int _inboxEnd;
        private int _skipRemaining; // bytes still to discard of an oversized PUBLISH, whose header is in _received
        private int _socketLink; // the engine's number of the link the socket is for; 0 when none
        private bool _opening;
        private bool _open;
        private bool _wifiUp = true;

        private void OpenLink(int link, long now)
        {
            CloseSocket();
            if (!_wifiUp)
            {
                // No network: the attempt fails as the stack would fail it, without touching the socket.
                _engine.HandleLinkError(link, (int)SocketErrorCode.NetworkDown, "Wi-Fi is down", now);
                return;
            }

            _socketLink = link;
            _opening = true;
            OnOpenResult(_socket.Connect(_options.Host, _options.Port), now);
        }

        /// <summary>A result of Connect or Poll while opening: open, still opening (EINPROGRESS and the like), or an error.</summary>
        private void OnOpenResult(int code, long now)
        {
            if (!_opening)
            {
                return;
            }

            if (code == 0)
            {
                _opening = false;
                _open = true;
                _engine.HandleLinkOpened(_socketLink, now);
                return;
            }

            if (NanoSocketErrors.Classify(code) == ConnectionTrigger.SocketPending)
            {
                return; // still opening: nothing has happened yet
            }

            _opening = false;
            _engine.HandleLinkError(_socketLink, code, "socket error " + code.ToString() + " connecting to " + _options.Host + ":" + _options.Port.ToString(), now);
        }

        private void CloseSocket()
        {
            if (_socketLink != 0 || _opening || _open)
            {
                _socket.Close();
            }

            _socketLink = 0;
            _opening = false;
            _open = false;
            _outbox.Clear();
            _unsent.Clear();
            _awaitingWrite.Clear();
            _inboxStart = 0;
            _inboxEnd = 0;
            _skipRemaining = 0;
            if (_v5 != null && _v5.Aliases != null)
            {
                _v5.Aliases.Reset(); // Topic Aliases live and die with the link [MQTT-3.3.2-7]
            }
        }

        /// <summary>
        /// Encodes waiting sends into the send buffer, in order, as far as it has room, and flushes it; again while the
        /// socket takes bytes. True when the engine was told something (written, or the link failed) that may bring actions.
        /// </summary>
        private bool Transmit(long now)
        {
            while (_open)
            {
                while (_unsent.Count > 0)
                {
                    EngineAction action = _unsent.Peek();
                    _outbox.Compact();
                    int length = Encode(action);
                    if (length < 0)
                    {
                        if (_outbox.Pending == 0)
                        {
                            throw new InvalidOperationException("A packet of type " + ((int)action.Packet).ToString() + " does not fit in the send buffer of " + _options.SendBufferSize.ToString() + " bytes: raise NanoMqttOptions.SendBufferSize.");
                        }

                        break; // the rest wait, in order, for the buffer to drain
                    }

                    _unsent.Dequeue();
                    _outbox.Commit(length);
                    if (action.NotifyWritten)
                    {
                        _awaitingWrite.Enqueue(action, _outbox.Committed);
                    }
                }

                int pending = _outbox.Pending;
                if (Flush(now))
                {
                    return true; // the engine's actions come first
                }

                if (_unsent.Count == 0 || _outbox.Pending == pending)
                {
                    break; // all encoded, or the socket takes no more for now
                }
            }

            return false;
        }

        /// <summary>Sends what the socket takes and tells the engine what was written; true when it told it more than EWOULDBLOCK.</summary>
        private bool Flush(long now)
        {
            if (!_open || _outbox.Pending == 0)
            {
                return false;
            }

            int link = _socketLink;
            int code = _outbox.Flush(_socket);
            bool told = false;
            while (_awaitingWrite.Count > 0 && _awaitingWrite.PeekMark() <= _outbox.Sent)
            {
                _engine.HandleWritten(_awaitingWrite.Dequeue(), now);
                told = true;
            }

            if (code == 0)
            {
                return told;
            }

            if (NanoSocketErrors.Classify(code) == ConnectionTrigger.SocketPending)
            {
                _engine.HandleLinkPending(link, now); // EWOULDBLOCK on write: the state is kept, the bytes go later
                return told;
            }

            _engine.HandleLinkError(link, code, "socket error " + code.ToString() + " sending", now);
            return true;
        }

        /// <summary>The engine's packet into the send buffer: its length, or -1 when it does not fit the room left.</summary>
        private int Encode(EngineAction action)
        {
            byte[] buffer = _outbox.Buffer;
            int at = _outbox.WriteOffset;
            if (_v5 != null)
            {
                int length = Encode5(action, buffer, at);
                if (length != -2)
                {
                    return length;
                }
            }

            switch (action.Packet)
            {
                case PacketKind.Connect: return NanoPacketWriter.WriteConnect(buffer, at, _options.Connect, action.CleanSession);
                case PacketKind.Publish:
                    OutboundMessage m = action.Message;
                    return NanoPacketWriter.WritePublish(buffer, at, m.Topic, m.Payload, m.Qos, m.Retain, action.Dup, m.Qos > 0 ? m.PacketId : 0);
                case PacketKind.PubAck: return NanoPacketWriter.WritePubAck(buffer, at, action.PacketId);
                case PacketKind.PubRec: return NanoPacketWriter.WritePubRec(buffer, at, action.PacketId);
                case PacketKind.PubRel: return NanoPacketWriter.WritePubRel(buffer, at, action.PacketId);
                case PacketKind.PubComp: return NanoPacketWriter.WritePubComp(buffer, at, action.PacketId);
                case PacketKind.Subscribe: return NanoPacketWriter.WriteSubscribe(buffer, at, action.PacketId, action.Request.Filters, action.Request.Qos);
                case PacketKind.Unsubscribe: return NanoPacketWriter.WriteUnsubscribe(buffer, at, action.PacketId, action.Request.Filters);
                case PacketKind.PingReq: return NanoPacketWriter.WriteFixed(buffer, at, NanoPacketWriter.PingReq);
                case PacketKind.Disconnect:
                    return action.ReasonCode == 0
                        ? NanoPacketWriter.WriteFixed(buffer, at, NanoPacketWriter.Disconnect)
                        : NanoPacketWriter.WriteDisconnect(buffer, at, action.ReasonCode);
                default: throw new InvalidOperationException("The engine asked to send packet type " + ((int)action.Packet).ToString() + ", which a client never sends.");
            }
        }

        /// <summary>Reads and decodes while the engine wants to read, handing each packet to it.</summary>
        private void ReadAvailable(long now)
        {
            int link = _socketLink;
            bool partial = false; // bytes arrived since the last whole packet
            while (_open && _socketLink == link && _engine.WantsToRead && _unsent.Count < UnsentReadLimit)
            {
                if (DecodeOne(link, now))
                {
                    partial = false;
                    Pump(now);
                    // Handed over before the next packet is decoded, as core's loop does: a message is taken (and
                    // acknowledged) at the same point of the stream on both, so a re-delivery behind it meets the same state.
                    Deliver(now);
                    continue;
                }

                if (partial)
                {
                    // Only part of a packet so far (a large one on a slow link): keepalive hears that the link is not silent.
                    partial = false;
                    _engine.HandleBytesReceived(link, now);
                    Pump(now);
                }

                if (_inboxStart > 0)
                {
                    Array.Copy(_inbox, _inboxStart, _inbox, 0, _inboxEnd - _inboxStart);
                    _inboxEnd -= _inboxStart;
                    _inboxStart = 0;
                }

                if (_inboxEnd == _inbox.Length)
                {
                    return; // cannot happen: the reader refuses a packet larger than the buffer before it fills it
                }

                int code = _socket.Receive(_inbox, _inboxEnd, _inbox.Length - _inboxEnd, out int received);
                if (code != 0)
                {
                    if (NanoSocketErrors.Classify(code) != ConnectionTrigger.SocketPending)
                    {
                        _engine.HandleLinkError(link, code, "socket error " + code.ToString() + " receiving", now);
                        Pump(now);
                    }

                    return; // EWOULDBLOCK: nothing more has arrived
                }

                if (received == 0)
                {
                    _engine.HandleLinkClosed(link, "the broker closed the connection", now);
                    Pump(now);
                    return;
                }

                _inboxEnd += received;
                partial = true;
            }
        }

        /// <summary>Decodes one whole packet from the receive buffer and hands it to the engine; false when none is whole yet.</summary>
        private bool DecodeOne(int link, long now)
        {
            if (_skipRemaining > 0)
            {
                // The body of a PUBLISH too large for the receive buffer is dropped as it comes; the engine hears of the
                // packet once its last byte is in, as of every packet, to acknowledge it (not deliver it).
                int skipped = NanoPacketReader.Skip(_inboxEnd - _inboxStart, _skipRemaining);
                _inboxStart += skipped;
                _skipRemaining -= skipped;
                if (_skipRemaining > 0)
                {
                    return false;
                }

                NanoPacket o = _received;
                _engine.HandleOversizedPublish(link, o.Topic, o.Qos, o.Dup, o.PacketId, o.PacketSize, _inbox.Length, now);
                return true;
            }

            int length;
            NanoProperties properties = null;
            try
            {
                if (_v5 == null)
                {
                    length = NanoPacketReader.TryRead(_inbox, _inboxStart, _inboxEnd - _inboxStart, _inbox.Length, _received);
                }
                else
                {
                    length = NanoPacketReader.TryRead5(_inbox, _inboxStart, _inboxEnd - _inboxStart, _inbox.Length, _received, out properties);
                    if (length > 0 && _received.Type == NanoPacketType.Publish && properties != null && properties.TopicAlias != 0)
                    {
                        if (_v5.Aliases == null)
                        {
                            throw new NanoProtocolException("The broker sent a PUBLISH with Topic Alias " + properties.TopicAlias.ToString() + ", but this client takes none (Topic Alias Maximum 0) [MQTT-3.3.2-11]: a protocol error.");
                        }

                        _received.Topic = _v5.Aliases.Resolve(_received.Topic, properties.TopicAlias);
                    }
                }
            }
            catch (NanoProtocolException e)
            {
                _inboxStart = 0;
                _inboxEnd = 0;
                _engine.HandleMalformed(link, e.Message, now);
                return true;
            }

            if (length == 0)
            {
                return false;
            }

            _inboxStart += length;
            NanoPacket p = _received;
            if (p.Type == NanoPacketType.Publish && p.BodyToSkip > 0)
            {
                _skipRemaining = p.BodyToSkip;
                return DecodeOne(link, now);
            }

            if (_v5 != null)
            {
                Dispatch5(link, p, properties, now);
                return true;
            }

            switch (p.Type)
            {
                case NanoPacketType.ConnAck: _engine.HandleConnAck(link, p.SessionPresent, p.ReturnCode, now); break;
                case NanoPacketType.Publish: _engine.HandlePublish(link, p.Topic, p.Payload, p.Qos, p.Retain, p.Dup, p.PacketId, now); break;
                case NanoPacketType.PubAck: _engine.HandlePubAck(link, p.PacketId, now); break;
                case NanoPacketType.PubRec: _engine.HandlePubRec(link, p.PacketId, now); break;
                case NanoPacketType.PubRel: _engine.HandlePubRel(link, p.PacketId, now); break;
                case NanoPacketType.PubComp: _engine.HandlePubComp(link, p.PacketId, now); break;
                case NanoPacketType.SubAck: _engine.HandleSubAck(link, p.PacketId, p.ReturnCodes, now); break;
                case NanoPacketType.UnsubAck: _engine.HandleUnsubAck(link, p.PacketId, now); break;
                case NanoPacketType.PingResp: _engine.HandlePingResp(link, now); break;
                default: _engine.HandleClientOnlyPacket(link, (PacketKind)(int)p.Type, now); break;
            }

            return true;
        }
    }
}
