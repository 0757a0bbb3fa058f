using System.Collections;

namespace StateMachineMqtt.Engine.Store
{
    /// <summary>
    /// What a durable session log says is live, folded from its records in order: the messages not completed (in
    /// acceptance order), the inbound QoS 2 exchanges awaiting PUBREL and the subscriptions. Pure: the store reads the
    /// records, this decides what they mean, and <see cref="SessionEngine.Restore"/> seeds an engine from it.
    /// </summary>
    public sealed class SessionSnapshot
    {
        private readonly ArrayList _messages = new ArrayList(); // StoredMessage, acceptance order
        private readonly ArrayList _receipts = new ArrayList(); // SessionRecord (ReceiptHeld)
        private readonly ArrayList _subscriptions = new ArrayList(); // SessionRecord (SubscriptionSet)

        /// <summary>The highest message sequence any record named: new messages are numbered after it.</summary>
        public long LastSequence;

        /// <summary>Records applied.</summary>
        public int RecordsApplied;

        /// <summary>The live messages, oldest first.</summary>
        public StoredMessage[] Messages
        {
            get
            {
                StoredMessage[] all = new StoredMessage[_messages.Count];
                _messages.CopyTo(all);
                return all;
            }
        }

        /// <summary>The inbound QoS 2 exchanges awaiting PUBREL (ReceiptHeld records).</summary>
        public SessionRecord[] Receipts
        {
            get
            {
                SessionRecord[] all = new SessionRecord[_receipts.Count];
                _receipts.CopyTo(all);
                return all;
            }
        }

        /// <summary>The subscriptions in force (SubscriptionSet records), in the order first made.</summary>
        public SessionRecord[] Subscriptions
        {
            get
            {
                SessionRecord[] all = new SessionRecord[_subscriptions.Count];
                _subscriptions.CopyTo(all);
                return all;
            }
        }

        /// <summary>True when nothing is live.</summary>
        public bool IsEmpty
        {
            get { return _messages.Count == 0 && _receipts.Count == 0 && _subscriptions.Count == 0; }
        }

        /// <summary>Folds one record in. Records about a message or exchange it does not hold change nothing.</summary>
        public void Apply(SessionRecord record)
        {
            RecordsApplied++;
            if (record.Sequence > LastSequence)
            {
                LastSequence = record.Sequence;
            }

            switch (record.Kind)
            {
                case SessionRecordKind.MessageAccepted:
                    StoredMessage message = new StoredMessage();
                    message.Sequence = record.Sequence;
                    message.Qos = record.Qos;
                    message.Retain = record.Retain;
                    message.Topic = record.Topic;
                    message.Payload = record.Payload;
                    RemoveMessage(record.Sequence);
                    _messages.Add(message);
                    break;
                case SessionRecordKind.MessageSent:
                    StoredMessage sent = FindMessage(record.Sequence);
                    if (sent != null)
                    {
                        sent.Sent = true;
                        sent.PacketId = record.PacketId;
                    }

                    break;
                case SessionRecordKind.PubRecReceived:
                    StoredMessage received = FindMessage(record.Sequence);
                    if (received != null)
                    {
                        received.PubRecReceived = true;
                    }

                    break;
                case SessionRecordKind.MessageCompleted:
                    RemoveMessage(record.Sequence);
                    break;
                case SessionRecordKind.ReceiptHeld:
                    RemoveReceipt(record.PacketId);
                    _receipts.Add(record);
                    break;
                case SessionRecordKind.ReceiptReleased:
                    RemoveReceipt(record.PacketId);
                    break;
                case SessionRecordKind.SubscriptionSet:
                    int at = FindSubscription(record.Topic);
                    if (at >= 0)
                    {
                        _subscriptions[at] = record;
                    }
                    else
                    {
                        _subscriptions.Add(record);
                    }

                    break;
                case SessionRecordKind.SubscriptionRemoved:
                    int gone = FindSubscription(record.Topic);
                    if (gone >= 0)
                    {
                        _subscriptions.RemoveAt(gone);
                    }

                    break;
            }
        }

        /// <summary>The fewest records that say what is live: what compaction writes to a fresh log.</summary>
        public SessionRecord[] LiveRecords()
        {
            ArrayList records = new ArrayList();
            for (int i = 0; i < _subscriptions.Count; i++)
            {
                records.Add(_subscriptions[i]);
            }

            for (int i = 0; i < _receipts.Count; i++)
            {
                records.Add(_receipts[i]);
            }

            for (int i = 0; i < _messages.Count; i++)
            {
                StoredMessage message = (StoredMessage)_messages[i];
                SessionRecord accepted = SessionRecord.ForMessage(SessionRecordKind.MessageAccepted, message.Sequence);
                accepted.Qos = message.Qos;
                accepted.Retain = message.Retain;
                accepted.Topic = message.Topic;
                accepted.Payload = message.Payload;
                records.Add(accepted);
                if (message.Sent)
                {
                    SessionRecord sent = SessionRecord.ForMessage(SessionRecordKind.MessageSent, message.Sequence);
                    sent.PacketId = message.PacketId;
                    records.Add(sent);
                }

                if (message.PubRecReceived)
                {
                    records.Add(SessionRecord.ForMessage(SessionRecordKind.PubRecReceived, message.Sequence));
                }
            }

            SessionRecord[] all = new SessionRecord[records.Count];
            records.CopyTo(all);
            return all;
        }

        private StoredMessage FindMessage(long sequence)
        {
            // Completions come mostly from the oldest end, lookups of recent sends from the newest: search from the end.
            for (int i = _messages.Count - 1; i >= 0; i--)
            {
                StoredMessage message = (StoredMessage)_messages[i];
                if (message.Sequence == sequence)
                {
                    return message;
                }
            }

            return null;
        }

        private void RemoveMessage(long sequence)
        {
            for (int i = 0; i < _messages.Count; i++)
            {
                if (((StoredMessage)_messages[i]).Sequence == sequence)
                {
                    _messages.RemoveAt(i);
                    return;
                }
            }
        }

        private void RemoveReceipt(int packetId)
        {
            for (int i = 0; i < _receipts.Count; i++)
            {
                if (((SessionRecord)_receipts[i]).PacketId == packetId)
                {
                    _receipts.RemoveAt(i);
                    return;
                }
            }
        }

        private int FindSubscription(string filter)
        {
            for (int i = 0; i < _subscriptions.Count; i++)
            {
                if (((SessionRecord)_subscriptions[i]).Topic == filter)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
