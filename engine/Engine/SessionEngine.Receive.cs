using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Engine
{
    /// <summary>
    /// Received messages: the application's bounded queue, reading paused while it is full, acknowledgement once the
    /// application has a message, and inbound QoS 2 receipts held until PUBREL (I9, I10).
    /// </summary>
    public sealed partial class SessionEngine
    {
        private readonly InboundQueue _inbound = new InboundQueue();
        private readonly PacketIdMap _qos2Receipts = new PacketIdMap(); // identifier → InboundReceipt, from PUBLISH to PUBREL
        private IReceiptMachine _receipt; // made when the first QoS 2 message arrives: a device that never gets one never pays for it
        private bool _readingPaused;
        private long _pausedSince;

        /// <summary>
        /// Messages received and not yet taken by the application, counting the placeholders of oversized messages whose
        /// acknowledgement waits behind them (they hold a place against the queue's bound too).
        /// </summary>
        public int UndeliveredCount
        {
            get { return _inbound.Count; }
        }

        /// <summary>True while there is a message for <see cref="TakeMessage"/>.</summary>
        public bool HasMessage
        {
            get { return _inbound.Count > 0; }
        }

        /// <summary>
        /// The message <see cref="TakeMessage"/> would hand over next, left in place (acknowledging nothing), or null: a
        /// driver that routes messages to several queues sees where it goes, and takes it only once they all have room.
        /// </summary>
        public InboundMessage PeekMessage()
        {
            return _inbound.Peek();
        }

        /// <summary>
        /// True while the driver should read the link: the application's queue has room (or, under
        /// ReceiveOverflowPolicy.DropOldestQoS0, holds a QoS 0 message that can make room). While false, TCP holds the broker back.
        /// </summary>
        public bool WantsToRead
        {
            get
            {
                // Awaiting CONNACK the link is read whatever the queue holds: without the CONNACK nothing can move on.
                return _connection.State == ConnectionState.AwaitingConnAck
                    || FlowRules.MayRead(_inbound.Count, Options.ReceiveQueueLength)
                    || FlowRules.DropsOldestQoS0OnReceive(Options.ReceiveOverflow, _inbound.Qos0Count > 0);
            }
        }

        /// <summary>
        /// Hands the oldest received message to the application, or returns null. Its acknowledgement (PUBACK, PUBREC) is
        /// sent now, on the link it came on only; after a reconnect the broker re-sends it instead [MQTT-4.4.0-1].
        /// </summary>
        public InboundMessage TakeMessage(long now)
        {
            _now = now;
            InboundMessage message = _inbound.Dequeue();
            if (message == null)
            {
                return null;
            }

            Acknowledge(message);
            AcknowledgePlaceholdersAtHead();
            ResumeReadingIfRoom();
            return message;
        }

        private void OnInboundPublish(InboundMessage message)
        {
            message.Link = _link;
            if (message.Qos == 2)
            {
                InboundReceipt held = (InboundReceipt)_qos2Receipts.Get(message.PacketId);
                ReceiptEffect effect = FirePublish(held ?? new InboundReceipt(message.PacketId, this), message, message.Topic, message.Payload, message.Dup);
                if (effect == ReceiptEffect.Supersede)
                {
                    effect = FirePublish(new InboundReceipt(message.PacketId, this), message, message.Topic, message.Payload, message.Dup); // a new message: its own exchange
                }

                if (effect != ReceiptEffect.Deliver)
                {
                    return; // a re-delivery (I9): answered as its exchange's row says, not delivered again
                }
            }

            MakeRoom();
            _inbound.Enqueue(message);
            _statistics.Received++;
            PauseIfFull();
        }

        private void OnOversizedPublish(string topic, int qos, bool dup, int packetId, int size, int limit)
        {
            InboundReceipt held = qos == 2 ? (InboundReceipt)_qos2Receipts.Get(packetId) : null;
            if (held != null && FirePublish(held, null, topic, null, dup) != ReceiptEffect.Supersede)
            {
                // The same message again (I9): already counted and reported; answered as a re-delivery's row says.
                return;
            }

            _statistics.DroppedOversized++;
            Emit(EventKind.MessageTooLarge, null, "received PUBLISH to \"" + topic + "\" (QoS " + qos.ToString() + ", " + size.ToString()
                + " bytes) dropped, not delivered: larger than the maximum packet size of " + limit.ToString() + " bytes"
                + (qos == 0 ? "" : "; acknowledged, so the broker does not send it again"));
            if (AcknowledgementRules.AcknowledgementFor(qos) == PacketKind.None)
            {
                return; // QoS 0: nothing to acknowledge, nothing to keep
            }

            InboundMessage placeholder = InboundMessage.Placeholder(topic, qos, dup, packetId, _link);
            if (qos == 2 && FirePublish(new InboundReceipt(packetId, this), placeholder, topic, null, dup) != ReceiptEffect.Deliver)
            {
                return;
            }

            MakeRoom();
            if (AcknowledgementRules.AcknowledgesDroppedAtOnce(_inbound.Count))
            {
                Acknowledge(placeholder);
                return;
            }

            _inbound.Enqueue(placeholder);
            PauseIfFull();
        }

        /// <summary>
        /// Fires Publish on an inbound QoS 2 exchange for a PUBLISH of <paramref name="topic"/> with the DUP flag
        /// <paramref name="dup"/>; <paramref name="payload"/> is null for a too-large one, read past unseen.
        /// </summary>
        private ReceiptEffect FirePublish(InboundReceipt receipt, InboundMessage arrived, string topic, byte[] payload, bool dup)
        {
            receipt.ArrivingDup = dup;
            receipt.ArrivingTopicDigest = MessageDigest.OfTopic(topic);
            receipt.ArrivingPayloadKnown = payload != null;
            receipt.ArrivingPayloadDigest = payload == null ? 0 : MessageDigest.OfPayload(payload);
            return FireReceipt(receipt, ReceiptTrigger.Publish, arrived);
        }

        /// <summary>
        /// Fires <paramref name="trigger"/> on an inbound QoS 2 exchange and carries out its row's effect. <paramref name="arrived"/>
        /// is the message a Publish trigger brought (a placeholder for a too-large one), else null.
        /// </summary>
        private ReceiptEffect FireReceipt(InboundReceipt receipt, ReceiptTrigger trigger, InboundMessage arrived)
        {
            if (_receipt == null)
            {
                _receipt = _machines.CreateReceipt();
            }

            ReceiptEffect effect = _receipt.Fire(receipt, trigger);
            switch (effect)
            {
                case ReceiptEffect.Deliver:
                    receipt.TopicDigest = receipt.ArrivingTopicDigest;
                    receipt.PayloadDigest = receipt.ArrivingPayloadDigest;
                    receipt.PayloadKnown = receipt.ArrivingPayloadKnown;
                    receipt.Message = arrived;
                    arrived.Receipt = receipt;
                    _qos2Receipts.Put(receipt.PacketId, receipt);
                    RecordReceipt(receipt, true);
                    break;
                case ReceiptEffect.MoveAcknowledgement:
                    // The first copy is still queued, perhaps from a lost link: its PUBREC must go on this one, the only link
                    // the broker still listens on, or the broker waits for it until the next reconnect.
                    if (receipt.Message != null)
                    {
                        receipt.Message.Link = _link;
                    }

                    break;
                case ReceiptEffect.SendPubRec:
                    SendWithId(PacketKind.PubRec, receipt.PacketId);
                    break;
                case ReceiptEffect.SendPubComp:
                    SendWithId(PacketKind.PubComp, receipt.PacketId);
                    break;
                case ReceiptEffect.Release:
                    ForgetReceipt(receipt);
                    SendWithId(PacketKind.PubComp, receipt.PacketId);
                    break;
                case ReceiptEffect.Forget:
                case ReceiptEffect.Supersede:
                    ForgetReceipt(receipt); // on Supersede the caller starts the new message's exchange
                    break;
            }

            return effect;
        }

        /// <summary>Frees the exchange's identifier, if this exchange still holds it: a later one may hold it since (I9).</summary>
        private void ForgetReceipt(InboundReceipt receipt)
        {
            if (_qos2Receipts.Get(receipt.PacketId) == receipt)
            {
                _qos2Receipts.Remove(receipt.PacketId);
                RecordReceipt(receipt, false);
            }
        }

        /// <summary>A CONNACK without a session: every held exchange is told, as the broker will finish none of them.</summary>
        private void LoseReceipts()
        {
            if (_qos2Receipts.Count == 0)
            {
                return;
            }

            InboundReceipt[] held = new InboundReceipt[_qos2Receipts.Count];
            int n = 0;
            for (int slot = 0; slot < _qos2Receipts.Capacity && n < held.Length; slot++)
            {
                object value = _qos2Receipts.ValueAt(slot);
                if (value != null)
                {
                    held[n++] = (InboundReceipt)value;
                }
            }

            for (int i = 0; i < n; i++)
            {
                FireReceipt(held[i], ReceiptTrigger.SessionLost, null);
            }
        }

        /// <summary>
        /// A link came up with a session in doubt: each held exchange may be one the broker forgot in a new session it made
        /// then, so a first send (DUP = 0) with its identifier is a new message (Receipt guard FirstSendAfterDoubt).
        /// </summary>
        private void DoubtReceipts()
        {
            int seen = 0;
            for (int slot = 0; slot < _qos2Receipts.Capacity && seen < _qos2Receipts.Count; slot++)
            {
                object value = _qos2Receipts.ValueAt(slot);
                if (value != null)
                {
                    ((InboundReceipt)value).KeptThroughDoubt = true;
                    seen++;
                }
            }
        }

        /// <summary>True when an acknowledgement of a message that came on <paramref name="link"/> may go now: only on that link [MQTT-4.4.0-1].</summary>
        internal bool MayAcknowledgeOn(int link, PacketKind ack)
        {
            return link == _link && _linkOpen && SendRules.MaySend(_connection.State, ack);
        }

        private void SendWithId(PacketKind packet, int packetId)
        {
            EngineAction action = NewSend(packet);
            action.PacketId = packetId;
            Transmit(action);
        }

        /// <summary>
        /// Sends the acknowledgement a taken message (or a placeholder reaching the head) needs: only on the link it came on;
        /// after a reconnect the broker re-sends it instead [MQTT-4.4.0-1].
        /// </summary>
        private void Acknowledge(InboundMessage message)
        {
            if (message.Qos == 2)
            {
                InboundReceipt receipt = message.Receipt;
                if (receipt != null)
                {
                    FireReceipt(receipt, ReceiptTrigger.Taken, null);
                    receipt.Message = null; // the application has it: the exchange goes on without its payload
                    message.Receipt = null;
                }

                return;
            }

            PacketKind ack = AcknowledgementRules.AcknowledgementFor(message.Qos);
            if (ack != PacketKind.None && MayAcknowledgeOn(message.Link, ack))
            {
                SendWithId(ack, message.PacketId);
            }
        }

        /// <summary>Acknowledges the placeholders that reached the head, so the head the application sees is always a message.</summary>
        private void AcknowledgePlaceholdersAtHead()
        {
            InboundMessage head = _inbound.Peek();
            while (head != null && head.IsPlaceholder)
            {
                Acknowledge(_inbound.Dequeue());
                head = _inbound.Peek();
            }
        }

        /// <summary>Under ReceiveOverflowPolicy.DropOldestQoS0, a full queue drops its oldest QoS 0 message for the arrival.</summary>
        private void MakeRoom()
        {
            if (!FlowRules.MayRead(_inbound.Count, Options.ReceiveQueueLength)
                && FlowRules.DropsOldestQoS0OnReceive(Options.ReceiveOverflow, _inbound.Qos0Count > 0))
            {
                _inbound.RemoveOldestQos0();
                _statistics.DroppedReceived++;
                Emit(EventKind.MessageDropped, null, "received QoS 0 message dropped: the application's queue was full (DropOldestQoS0)");

                // The dropped message may have been the one a placeholder waited behind.
                AcknowledgePlaceholdersAtHead();
            }
        }

        private void PauseIfFull()
        {
            if (!WantsToRead && !_readingPaused)
            {
                _readingPaused = true;
                _pausedSince = _now;
            }
        }

        private void OnPubRel(int packetId)
        {
            InboundReceipt held = (InboundReceipt)_qos2Receipts.Get(packetId);
            FireReceipt(held ?? new InboundReceipt(packetId, this), ReceiptTrigger.PubRel, null);
        }

        private void ResumeReadingIfRoom()
        {
            if (_readingPaused && WantsToRead)
            {
                // The pause does not count as silence (I5); HeardUntil counts only the part after the last packet.
                _lastReceived = HeardUntil(_now);
                _readingPaused = false;
                if (_keepAlive.State != KeepAliveState.Inactive)
                {
                    ArmKeepAlive();
                }
            }
        }
    }
}
