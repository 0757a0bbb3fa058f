using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Engine
{
    /// <summary>
    /// Received messages: the application's bounded queue, reading paused while it is full, acknowledgement once the
    /// application has a message, and inbound QoS 2 receipts held until PUBREL (I9, I10).
    /// </summary>
    public sealed partial class SessionEngine
    {
        // A QoS 2 receipt is the queued InboundMessage itself until it is taken (PUBREC not yet sent), then this marker.
        // Holding the message, not a shared marker, lets TakeMessage tell its own receipt from one of a later session.
        private static readonly object ReceiptAcknowledged = new object(); // PUBREC sent (or its link gone): awaiting PUBREL
        private readonly InboundQueue _inbound = new InboundQueue();
        private PacketIdMap _qos2Receipts = new PacketIdMap();
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
                object receipt = _qos2Receipts.Get(message.PacketId);
                if (AcknowledgementRules.IsQos2Redelivery(message.Qos, receipt != null))
                {
                    // Exactly once (I9): not delivered again. Acknowledged again if its PUBREC already went; else it goes when taken.
                    AnswerQos2Redelivery(message.PacketId, receipt);
                    return;
                }

                _qos2Receipts.Put(message.PacketId, message);
            }

            MakeRoom();
            _inbound.Enqueue(message);
            _statistics.Received++;
            PauseIfFull();
        }

        private void OnOversizedPublish(string topic, int qos, bool dup, int packetId, int size, int limit)
        {
            if (qos == 2)
            {
                object receipt = _qos2Receipts.Get(packetId);
                if (AcknowledgementRules.IsQos2Redelivery(qos, receipt != null))
                {
                    // The same message again (I9): already counted and reported, and answered as a normal re-delivery is.
                    AnswerQos2Redelivery(packetId, receipt);
                    return;
                }
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
            if (qos == 2)
            {
                // Held until PUBREL like any QoS 2 receipt, so a re-delivery is recognised and not counted again (I9).
                _qos2Receipts.Put(packetId, placeholder);
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

        /// <summary>A QoS 2 PUBLISH whose receipt is held: acknowledged again if its PUBREC went, else its PUBREC moves to this link.</summary>
        private void AnswerQos2Redelivery(int packetId, object receipt)
        {
            if (receipt == ReceiptAcknowledged)
            {
                EngineAction action = NewSend(PacketKind.PubRec);
                action.PacketId = packetId;
                Transmit(action);
            }
            else
            {
                // The first copy is still queued, perhaps from a lost link: its PUBREC must go on this one, the
                // only link the broker still listens on, or the broker waits for it until the next reconnect.
                ((InboundMessage)receipt).Link = _link;
            }
        }

        /// <summary>
        /// Sends the acknowledgement a taken message (or a placeholder reaching the head) needs: only on the link it came on;
        /// after a reconnect the broker re-sends it instead [MQTT-4.4.0-1].
        /// </summary>
        private void Acknowledge(InboundMessage message)
        {
            PacketKind ack = AcknowledgementRules.AcknowledgementFor(message.Qos);
            if (message.Qos == 2 && _qos2Receipts.Get(message.PacketId) == message)
            {
                // Only its own receipt: a new session cleared it, and the identifier may belong to a new message since (I9).
                _qos2Receipts.Put(message.PacketId, ReceiptAcknowledged);
            }

            if (ack != PacketKind.None && message.Link == _link && _linkOpen && SendRules.MaySend(_connection.State, ack))
            {
                EngineAction action = NewSend(ack);
                action.PacketId = message.PacketId;
                Transmit(action);
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
            _qos2Receipts.Remove(packetId);
            EngineAction action = NewSend(PacketKind.PubComp);
            action.PacketId = packetId;
            Transmit(action);
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
