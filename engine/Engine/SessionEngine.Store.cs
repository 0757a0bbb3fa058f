using System.Collections;
using StateMachineMqtt.Engine.Store;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Engine
{
    /// <summary>
    /// The durable session store's side of the engine: with <see cref="EngineOptions.RecordSession"/> on, every change a
    /// restart needs (a QoS 1 or 2 message accepted, first sent, PUBREC received, completed; an inbound QoS 2 exchange held
    /// or released; a subscription set or removed) becomes a <see cref="SessionRecord"/> the driver polls and stores, and
    /// <see cref="Restore"/> seeds a new engine from what a store recovered. The engine does no I/O: the store does.
    /// </summary>
    public sealed partial class SessionEngine
    {
        private ArrayList _records; // SessionRecord, oldest first, from _recordsHead; made on the first record (none without a store)
        private int _recordsHead;
        private long _lastSequence; // the last accepted (or restored) message's sequence
        private bool _restoring;
        private bool _disposing;

        /// <summary>Records waiting to be polled.</summary>
        public int PendingRecords
        {
            get { return _records == null ? 0 : _records.Count - _recordsHead; }
        }

        /// <summary>
        /// Takes the next record the durable store must keep, oldest first; false when there is none. Store them in this
        /// order: a record depends on those before it.
        /// </summary>
        public bool PollRecord(out SessionRecord record)
        {
            if (_records == null || _recordsHead == _records.Count)
            {
                record = null;
                return false;
            }

            record = (SessionRecord)_records[_recordsHead];
            _records[_recordsHead++] = null;
            if (_recordsHead == _records.Count)
            {
                _records.Clear();
                _recordsHead = 0;
            }

            return true;
        }

        /// <summary>
        /// Seeds this engine, before its first <see cref="Connect"/>, with what a durable store recovered: its messages are
        /// held again in their order with their packet identifiers (a sent one is re-sent with DUP = 1, one that had its
        /// PUBREC gets PUBREL instead), its inbound QoS 2 exchanges await PUBREL again and its subscriptions are in force.
        /// <paramref name="messages"/> (or null) gives, by index, the driver's own OutboundMessage for each of the snapshot's
        /// messages (made from its topic, payload, QoS and RETAIN, with the driver's caller object); a null entry is made here.
        /// </summary>
        public void Restore(SessionSnapshot snapshot, OutboundMessage[] messages)
        {
            if (snapshot == null)
            {
                throw new System.ArgumentNullException(nameof(snapshot));
            }

            if (_connection.State != ConnectionState.Idle || _held.Count != 0 || _subscriptions.Count != 0)
            {
                throw new System.InvalidOperationException("Restore a session before the first Connect, into an engine that holds nothing.");
            }

            _restoring = true;
            StoredMessage[] stored = snapshot.Messages;
            for (int i = 0; i < stored.Length; i++)
            {
                RestoreMessage(stored[i], messages != null && i < messages.Length ? messages[i] : null);
            }

            SessionRecord[] subscriptions = snapshot.Subscriptions;
            for (int i = 0; i < subscriptions.Length; i++)
            {
                SessionRecord s = subscriptions[i];
                SetSubscription(s.Topic, s.Qos, s.Qos, s.Options, s.Identifier);
            }

            SessionRecord[] receipts = snapshot.Receipts;
            for (int i = 0; i < receipts.Length; i++)
            {
                if (_qos2Receipts.Get(receipts[i].PacketId) == null)
                {
                    InboundReceipt receipt = new InboundReceipt(receipts[i].PacketId, this);
                    receipt.State = ReceiptState.AwaitingPubRel;
                    receipt.TopicDigest = receipts[i].TopicDigest;
                    receipt.PayloadDigest = receipts[i].PayloadDigest;
                    receipt.PayloadKnown = receipts[i].PayloadKnown;
                    _qos2Receipts.Put(receipt.PacketId, receipt);
                }
            }

            if (snapshot.LastSequence > _lastSequence)
            {
                _lastSequence = snapshot.LastSequence;
            }

            _cursor = _held.First;
            _restoring = false;
        }

        private void RestoreMessage(StoredMessage stored, OutboundMessage given)
        {
            OutboundMessage message = given != null ? given : new OutboundMessage(stored.Topic, stored.Payload, stored.Qos, stored.Retain, null);
            message.Owner = this;
            message.Sequence = stored.Sequence;
            if (stored.Sequence > _lastSequence)
            {
                _lastSequence = stored.Sequence;
            }

            bool idFree = stored.PacketId > 0 && stored.PacketId <= 65535 && _inFlight.Get(stored.PacketId) == null;
            if (!stored.Sent)
            {
                message.State = PublishState.Queued;
            }
            else if (stored.Qos == 2 && stored.PubRecReceived && idFree)
            {
                // The broker has the message: only its PUBREL, under the same identifier, is owed [MQTT-4.3.3-2].
                message.State = PublishState.ResendPubRel;
            }
            else
            {
                message.State = stored.Qos == 2 ? PublishState.ResendQos2 : PublishState.Resend;
            }

            if (stored.Sent && idFree)
            {
                message.PacketId = stored.PacketId;
                message.Sends = 1;
                _inFlight.Put(message.PacketId, message);
            }

            _held.AddLast(message);
            _statistics.Restored++;
        }

        private void Record(SessionRecord record)
        {
            if (Options.RecordSession && !_restoring && !_disposing)
            {
                if (_records == null)
                {
                    _records = new ArrayList();
                }

                _records.Add(record);
            }
        }

        private void RecordAccepted(OutboundMessage message)
        {
            if (message.Qos == 0 || !Options.RecordSession)
            {
                return;
            }

            SessionRecord record = SessionRecord.ForMessage(SessionRecordKind.MessageAccepted, message.Sequence);
            record.Qos = message.Qos;
            record.Retain = message.Retain;
            record.Topic = message.Topic;
            record.Payload = message.Payload;
            record.Caller = message.Caller;
            Record(record);
        }

        private void RecordMessage(SessionRecordKind kind, OutboundMessage message)
        {
            if (message.Qos == 0 || !Options.RecordSession)
            {
                return;
            }

            SessionRecord record = SessionRecord.ForMessage(kind, message.Sequence);
            record.PacketId = message.PacketId;
            Record(record);
        }

        private void RecordReceipt(InboundReceipt receipt, bool held)
        {
            if (!Options.RecordSession)
            {
                return;
            }

            SessionRecord record = new SessionRecord();
            record.Kind = held ? SessionRecordKind.ReceiptHeld : SessionRecordKind.ReceiptReleased;
            record.PacketId = receipt.PacketId;
            record.TopicDigest = receipt.TopicDigest;
            record.PayloadDigest = receipt.PayloadDigest;
            record.PayloadKnown = receipt.PayloadKnown;
            Record(record);
        }

        /// <summary>A subscription set (<paramref name="requested"/> ≥ 0) or removed (-1).</summary>
        private void RecordSubscription(string filter, int requested, int options, int identifier)
        {
            if (!Options.RecordSession)
            {
                return;
            }

            SessionRecord record = new SessionRecord();
            record.Kind = requested < 0 ? SessionRecordKind.SubscriptionRemoved : SessionRecordKind.SubscriptionSet;
            record.Topic = filter;
            record.Qos = requested < 0 ? 0 : requested;
            record.Options = options;
            record.Identifier = identifier;
            Record(record);
        }
    }
}
