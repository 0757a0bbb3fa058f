using StateMachineMqtt.Engine.Store;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Engine
{
    /// <summary>
    /// Outbound messages: the bounded outbound queue and its policy, the in-flight window, packet identifiers, and the one
    /// Publish machine every QoS 1 and QoS 2 flow runs on.
    /// </summary>
    public sealed partial class SessionEngine
    {
        private readonly MessageList _held = new MessageList();
        private PacketIdMap _inFlight = new PacketIdMap(); // packet identifier -> OutboundMessage or SubscriptionRequest
        private OutboundMessage _cursor; // the next held message to consider sending on this link
        private int _awaitingAck;
        private bool _queueWasFull;
        private readonly System.Collections.ArrayList _drains = new System.Collections.ArrayList(); // DrainWait, oldest first

        /// <summary>Messages held (queued, being written, or awaiting PUBACK, PUBREC or PUBCOMP).</summary>
        public int HeldCount
        {
            get { return _held.Count; }
        }

        /// <summary>Their payload bytes.</summary>
        public long HeldBytes
        {
            get { return _held.Bytes; }
        }

        /// <summary>Messages sent on this link and awaiting their answer (PUBACK, PUBREC or PUBCOMP): the in-flight window's use.</summary>
        public int InFlightCount
        {
            get { return _awaitingAck; }
        }

        /// <summary>
        /// Held messages not in flight: waiting for their first send, for a re-send on the next link, or (QoS 0) to be
        /// written. <see cref="HeldCount"/> is this plus <see cref="InFlightCount"/>.
        /// </summary>
        public int QueuedCount
        {
            get { return _held.Count - _awaitingAck; }
        }

        /// <summary>The held messages, oldest first (for invariant checks and the durable store).</summary>
        public OutboundMessage[] SnapshotHeld()
        {
            OutboundMessage[] all = new OutboundMessage[_held.Count];
            int i = 0;
            for (OutboundMessage m = _held.First; m != null; m = m.Next)
            {
                all[i++] = m;
            }

            return all;
        }

        /// <summary>
        /// The size in bytes of <paramref name="message"/>'s PUBLISH on the wire (fixed header included), by spec/'s
        /// PacketSizeRules: what <see cref="EngineOptions.MaxOutboundPacketSize"/> is held against.
        /// </summary>
        public static long PublishPacketSize(OutboundMessage message)
        {
            return PacketSizeRules.PublishPacketSize(PacketSizeRules.Utf8ByteCount(message.Topic), message.Payload.Length, message.Qos, message.PropertiesSize);
        }

        /// <summary>
        /// True when <paramref name="message"/>'s PUBLISH fits <see cref="EngineOptions.MaxOutboundPacketSize"/> and MQTT's own
        /// bound; <see cref="Publish"/> refuses it otherwise (<see cref="AdmitVerdict.TooLarge"/>). A driver that makes
        /// publishes wait their turn asks this first, so a message that can never be sent is refused at once, not after the wait.
        /// </summary>
        public bool FitsOutbound(OutboundMessage message)
        {
            return PacketSizeRules.FitsOutbound(PublishPacketSize(message), OutboundPacketLimit);
        }

        /// <summary>
        /// The largest PUBLISH the engine sends: <see cref="EngineOptions.MaxOutboundPacketSize"/>, or the Maximum Packet Size
        /// of the broker's last accepted CONNACK when that is lower (<see cref="BrokerMaximumPacketSize"/>).
        /// </summary>
        public long OutboundPacketLimit
        {
            get { return PacketSizeRules.OutboundLimit(Options.MaxOutboundPacketSize, _brokerMaximumPacketSize); }
        }

        /// <summary>The Maximum Packet Size of the broker's last accepted CONNACK (MQTT 5), or 0 when it gave none.</summary>
        public long BrokerMaximumPacketSize
        {
            get { return _brokerMaximumPacketSize; }
        }

        /// <summary>
        /// Offers a message to the outbound queue. Accept: it is held and will complete with an event. Wait: the queue is
        /// at its bound, try again after a RoomAvailable event (or give up when the caller cancels). Reject: full, and the
        /// policy is Reject. Under DropOldestQoS0 the oldest queued QoS 0 message is dropped (PublishFailed) to make room.
        /// TooLarge: its PUBLISH would exceed the maximum outbound packet size (<see cref="FitsOutbound"/>), whatever the
        /// queue holds; nothing is queued, so it never reaches a peer that would close the link over it.
        /// </summary>
        public AdmitVerdict Publish(OutboundMessage message, long now)
        {
            _now = now;
            EnsureNotDisposed();
            if (message.Qos < 0 || message.Qos > 2)
            {
                throw new System.ArgumentException("A message's QoS is 0, 1 or 2.");
            }

            if (!FitsOutbound(message))
            {
                return AdmitVerdict.TooLarge;
            }

            OutboundMessage droppable = _held.Qos0Count > 0 ? OldestUnsentQos0() : null;
            AdmitVerdict verdict = FlowRules.Admit(_held.Count, _held.Bytes, message.Payload.Length, Options.MaxQueuedMessages, Options.MaxQueuedBytes, Options.OutboundOverflow, droppable != null);
            if (verdict == AdmitVerdict.Wait || verdict == AdmitVerdict.Reject)
            {
                _queueWasFull = true;
                return verdict;
            }

            if (verdict == AdmitVerdict.AcceptAfterDroppingOldestQoS0)
            {
                _statistics.DroppedOutbound++;
                Fail(EventKind.PublishFailed, droppable.Caller, FailureKind.QueueFull, "dropped under OutboundOverflowPolicy.DropOldestQoS0: the outbound queue was full");
                Emit(EventKind.MessageDropped, droppable.Caller, "outbound QoS 0 message dropped: the outbound queue was full (DropOldestQoS0)");
                Forget(droppable);
            }

            message.Owner = this;
            message.State = PublishState.Queued;
            _held.AddLast(message);
            _statistics.Accepted++;
            message.Sequence = ++_lastSequence;
            RecordAccepted(message);
            if (_cursor == null)
            {
                _cursor = message;
            }

            PumpOutbound();
            return AdmitVerdict.Accept;
        }

        /// <summary>
        /// The caller cancelled. Never sent: withdrawn (PublishCancelled). Sent at QoS 1 or 2: only the caller stops waiting;
        /// the message stays held until PUBACK or PUBCOMP (I1). A QoS 0 message already handed to the link completes when written.
        /// </summary>
        public void CancelPublish(OutboundMessage message, long now)
        {
            _now = now;
            if (!message.Held || message.Owner != this || message.CallerDetached)
            {
                // A detached caller already heard PublishCancelled: each caller hears one ending.
                return;
            }

            if (message.Qos == 0)
            {
                if (message.WrittenOnLink == 0)
                {
                    Emit(EventKind.PublishCancelled, message.Caller, "withdrawn before it was sent");
                    Forget(message);
                }

                return;
            }

            FirePublish(message, PublishTrigger.Cancel);
        }

        /// <summary>
        /// <paramref name="caller"/> hears DrainCompleted once every message accepted before this call has completed —
        /// acknowledged (QoS 1 and 2), written (QoS 0) or failed — at once if none is held. Messages accepted afterwards are not
        /// waited for, so a steady stream of publishes cannot hold a drain back forever.
        /// </summary>
        public void Drain(object caller, long now)
        {
            _now = now;
            EnsureNotDisposed();
            DrainWait wait = new DrainWait();
            wait.Caller = caller;
            wait.UpTo = _lastSequence;
            _drains.Add(wait);
            CompleteDrains();
        }

        /// <summary>The caller stopped waiting for its drain; nothing else changes.</summary>
        public void CancelDrain(object caller, long now)
        {
            _now = now;
            for (int i = 0; i < _drains.Count; i++)
            {
                if (((DrainWait)_drains[i]).Caller == caller)
                {
                    _drains.RemoveAt(i);
                    return;
                }
            }
        }

        /// <summary>Completes the drains whose messages have all completed: the held list is in acceptance order.</summary>
        private void CompleteDrains()
        {
            long oldestHeld = _held.First == null ? long.MaxValue : _held.First.Sequence;
            for (int i = 0; i < _drains.Count; i++)
            {
                DrainWait wait = (DrainWait)_drains[i];
                if (wait.UpTo < oldestHeld)
                {
                    _drains.RemoveAt(i--);
                    Emit(EventKind.DrainCompleted, wait.Caller, "every message accepted before the drain has completed");
                }
            }
        }

        private void FailDrains(FailureKind failure, string reason)
        {
            for (int i = 0; i < _drains.Count; i++)
            {
                Fail(EventKind.DrainCompleted, ((DrainWait)_drains[i]).Caller, failure, reason);
            }

            _drains.Clear();
        }

        /// <summary>Sends what the link and the in-flight window allow, strictly in acceptance order.</summary>
        private void PumpOutbound()
        {
            while (_cursor != null && _connection.State == ConnectionState.Connected)
            {
                OutboundMessage message = _cursor;
                if (message.Qos == 0)
                {
                    if (message.WrittenOnLink == 0 && !FitsOutbound(message))
                    {
                        // Accepted before this link's CONNACK lowered the limit [MQTT-3.2.2-15]: failed, not sent, not lost silently.
                        _cursor = message.Next;
                        FailOversized(message);
                        continue;
                    }

                    if (message.WrittenOnLink == 0)
                    {
                        EngineAction action = NewSend(PacketKind.Publish);
                        action.Message = message;
                        action.NotifyWritten = true;
                        if (Transmit(action))
                        {
                            message.Sends++;
                            message.WrittenOnLink = _link;
                        }
                    }

                    _cursor = message.Next;
                    continue;
                }

                if (IsAwaitingAnswer(message.State))
                {
                    _cursor = message.Next;
                    continue;
                }

                if (message.State != PublishState.ResendPubRel && !FitsOutbound(message))
                {
                    // Its PUBLISH (first send or re-send) may not go on this link; a PUBREL is small and always may.
                    _cursor = message.Next;
                    FirePublish(message, PublishTrigger.TooLarge);
                    continue;
                }

                if (!FlowRules.MayTransmit(_awaitingAck, _window))
                {
                    return;
                }

                if (message.PacketId == 0)
                {
                    // Identifiers are taken at first send, so queued messages hold none [MQTT-2.3.1-2].
                    message.PacketId = _inFlight.TakeFreeId();
                    _inFlight.Put(message.PacketId, message);
                    RecordMessage(SessionRecordKind.MessageSent, message);
                }

                _cursor = message.Next;
                FirePublish(message, PublishTrigger.Transmit);
            }
        }

        private PublishEffect FirePublish(OutboundMessage message, PublishTrigger trigger)
        {
            PublishState before = message.State;
            PublishEffect effect = _publish.Fire(message, trigger);
            _awaitingAck += (IsAwaitingAnswer(message.State) ? 1 : 0) - (IsAwaitingAnswer(before) ? 1 : 0);
            // A re-send (or, in MQTT 5, a wait) on the same link after a timeout counts against MaxRepublishes; any other send starts afresh.
            int republishes = trigger == PublishTrigger.ResponseTimeout ? message.RepublishesOnLink + 1 : 0;
            switch (effect)
            {
                case PublishEffect.None: break;
                case PublishEffect.SendPublish: TransmitPublish(message, false, republishes); break;
                case PublishEffect.SendPublishDup: TransmitPublish(message, true, republishes); break;
                case PublishEffect.SendPubRel:
                    if (before != PublishState.AwaitingPubComp && before != PublishState.ResendPubRel)
                    {
                        RecordMessage(SessionRecordKind.PubRecReceived, message);
                    }

                    TransmitPubRel(message, republishes, before == PublishState.AwaitingPubComp || before == PublishState.ResendPubRel); break;
                case PublishEffect.AwaitAgain: AwaitAgain(message, republishes); break;
                case PublishEffect.CompletePublish:
                    _statistics.Acknowledged++;
                    if (!message.CallerDetached)
                    {
                        Emit(EventKind.PublishCompleted, message.Caller, "acknowledged");
                    }

                    Forget(message);

                    break;
                case PublishEffect.DeclareLinkDead:
                    FireConnection(ConnectionTrigger.RepublishLimitReached, "no " + AwaitedAnswer(before) + " for packet " + message.PacketId.ToString() + " after " + Options.MaxRepublishes.ToString()
                        + (Options.ProtocolVersion == MqttProtocolVersion.V500 ? " further waits (MQTT 5 re-sends only on a new connection)" : " re-sends"), 0);
                    break;
                case PublishEffect.FailPublish:
                    _statistics.Refused++;
                    EngineEvent refused = default(EngineEvent);
                    refused.Kind = EventKind.PublishFailed;
                    refused.Caller = message.Caller;
                    refused.Failure = FailureKind.PublishRefused;
                    refused.ReturnCode = _answerCode;
                    refused.Reason = (message.Qos == 2 ? "PUBREC" : "PUBACK") + " refused packet " + message.PacketId.ToString() + " with reason code 0x" + _answerCode.ToString("X2")
                        + (_answerReason == null ? "" : ": " + _answerReason);
                    Forget(message);
                    if (!message.CallerDetached)
                    {
                        Emit(refused);
                    }

                    break;
                case PublishEffect.FailTooLarge:
                    FailOversized(message);
                    break;
                case PublishEffect.Withdraw:
                    Emit(EventKind.PublishCancelled, message.Caller, "withdrawn before it was sent");
                    Forget(message);
                    break;
                case PublishEffect.DetachCaller:
                    message.CallerDetached = true;
                    Emit(EventKind.PublishCancelled, message.Caller, "the caller stopped waiting; the message is still held until " + (message.Qos == 2 ? "PUBCOMP" : "PUBACK"));
                    break;
                default: throw new System.InvalidOperationException("Publish effect " + ((int)effect).ToString() + " has no binding in the engine.");
            }

            return effect;
        }

        /// <summary>Ends a message the broker's Maximum Packet Size excludes: counted, forgotten, and its caller (if still waiting) told why.</summary>
        private void FailOversized(OutboundMessage message)
        {
            _statistics.RefusedOversized++;
            Forget(message);
            if (!message.CallerDetached)
            {
                Fail(EventKind.PublishFailed, message.Caller, FailureKind.TooLarge, "its PUBLISH is " + PublishPacketSize(message).ToString()
                    + " bytes, more than the broker's Maximum Packet Size of " + _brokerMaximumPacketSize.ToString() + " bytes [MQTT-3.2.2-15]");
            }
        }

        private void TransmitPublish(OutboundMessage message, bool dup, int republishes)
        {
            message.RepublishesOnLink = republishes;
            message.Sends++;
            if (dup)
            {
                _statistics.Resent++;
            }

            message.DeadlineMs = _now + Options.ResponseTimeMs;
            EngineAction action = NewSend(PacketKind.Publish);
            action.Message = message;
            action.Dup = dup;
            action.Resend = dup;
            Transmit(action);
            _responseDeadline = Min(_responseDeadline, message.DeadlineMs);
        }

        private void AwaitAgain(OutboundMessage message, int waits)
        {
            message.RepublishesOnLink = waits;
            message.DeadlineMs = _now + Options.ResponseTimeMs;
            _responseDeadline = Min(_responseDeadline, message.DeadlineMs);
        }

        // The reason code and reason string of the answer being fired (FailPublish reports them).
        private int _answerCode;
        private string _answerReason;

        /// <summary>Sends PUBREL; <paramref name="resend"/> when one was sent before for this message (it had reached PUBREC).</summary>
        private void TransmitPubRel(OutboundMessage message, int republishes, bool resend)
        {
            message.RepublishesOnLink = republishes;
            if (resend)
            {
                _statistics.ReleasesResent++;
            }

            message.DeadlineMs = _now + Options.ResponseTimeMs;
            EngineAction action = NewSend(PacketKind.PubRel);
            action.PacketId = message.PacketId;
            action.Resend = resend;
            Transmit(action);
            _responseDeadline = Min(_responseDeadline, message.DeadlineMs);
        }

        /// <summary>PUBACK, PUBREC or PUBCOMP for <paramref name="packetId"/>: the flow holding it hears <paramref name="trigger"/>.</summary>
        private void OnPublishAnswer(PacketKind packet, PublishTrigger trigger, int packetId, int reasonCode, string reasonString)
        {
            _answerCode = reasonCode;
            _answerReason = reasonString;
            OutboundMessage message = _inFlight.Get(packetId) as OutboundMessage;
            if (message == null)
            {
                Ignored(PacketName(packet) + " for packet " + packetId.ToString() + ", which no message awaits");
                return;
            }

            if (FirePublish(message, trigger) == PublishEffect.None)
            {
                // The table ignores it (an answer of the wrong kind for this flow): counted, and no proof of the link.
                Ignored(PacketName(packet) + " for packet " + packetId.ToString() + ", whose flow awaits no such answer");
                return;
            }

            _linkProgressed = true; // the broker took a message on this link: it has proved itself (ConnectRules)
            PumpOutbound();
        }

        /// <summary>True in the states where a message was sent on this link and awaits its answer: what the window counts.</summary>
        private static bool IsAwaitingAnswer(PublishState state)
        {
            return state == PublishState.AwaitingPubAck || state == PublishState.AwaitingPubRec || state == PublishState.AwaitingPubComp;
        }

        private static string AwaitedAnswer(PublishState state)
        {
            return state == PublishState.AwaitingPubRec ? "PUBREC" : state == PublishState.AwaitingPubComp ? "PUBCOMP" : "PUBACK";
        }

        private static string PacketName(PacketKind packet)
        {
            return packet == PacketKind.PubRec ? "PUBREC" : packet == PacketKind.PubComp ? "PUBCOMP" : "PUBACK";
        }

        /// <summary>The link closed: every QoS 1 and 2 flow hears LinkLost, in order; QoS 0 handed to the link but not written fails.</summary>
        private void OnLinkLostForFlows()
        {
            OutboundMessage message = _held.First;
            while (message != null)
            {
                OutboundMessage next = message.Next;
                if (message.Qos != 0)
                {
                    FirePublish(message, PublishTrigger.LinkLost);
                }
                else if (message.WrittenOnLink != 0)
                {
                    // Handed to a link that died before saying it was written: it may or may not have gone. At most once
                    // forbids sending it again, and the caller is told rather than left believing it went.
                    Fail(EventKind.PublishFailed, message.Caller, FailureKind.None, "the link was lost before this QoS 0 message was written");
                    Forget(message);
                }

                message = next;
            }

            ReleaseRequestIdentifiers();
            _cursor = _held.First;
            _responseDeadline = Never;
        }

        /// <summary>
        /// Ends a message's life in the engine: out of the queue, its identifier released. Called after the message's own
        /// ending is emitted, so the events that follow from it (RoomAvailable, DrainCompleted) come after it.
        /// </summary>
        private void Forget(OutboundMessage message)
        {
            if (!message.Held)
            {
                return;
            }

            RecordMessage(SessionRecordKind.MessageCompleted, message);
            if (_cursor == message)
            {
                _cursor = message.Next;
            }

            if (IsAwaitingAnswer(message.State))
            {
                _awaitingAck--;
            }

            _held.Remove(message);
            if (message.PacketId != 0)
            {
                _inFlight.Remove(message.PacketId);
            }

            if (_queueWasFull && _held.Count < Options.MaxQueuedMessages && _held.Bytes < Options.MaxQueuedBytes)
            {
                _queueWasFull = false;
                Emit(EventKind.RoomAvailable, null, "the outbound queue has room");
            }

            if (_drains.Count > 0)
            {
                CompleteDrains();
            }
        }

        private OutboundMessage OldestUnsentQos0()
        {
            for (OutboundMessage m = _held.First; m != null; m = m.Next)
            {
                if (m.Qos == 0 && m.WrittenOnLink == 0)
                {
                    return m;
                }
            }

            return null;
        }

        private void FailEverythingHeld(FailureKind failure, string reason)
        {
            OutboundMessage message = _held.First;
            while (message != null)
            {
                OutboundMessage next = message.Next;
                if (!message.CallerDetached)
                {
                    // A detached caller already heard PublishCancelled: each caller hears one ending.
                    Fail(EventKind.PublishFailed, message.Caller, failure, reason);
                }

                Forget(message);

                message = next;
            }

            for (int i = 0; i < _requests.Count; i++)
            {
                SubscriptionRequest request = (SubscriptionRequest)_requests[i];
                if (request.Caller != null && !request.CallerDetached)
                {
                    Fail(EventKind.RequestFailed, request.Caller, failure, reason);
                }
            }

            _requests.Clear();
            _inFlight = new PacketIdMap();
        }
    }
}
