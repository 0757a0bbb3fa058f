using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Engine
{
    /// <summary>
    /// Receives an engine's fingerprint value by value, in a fixed order (<see cref="SessionEngine.Fingerprint"/>). Each value
    /// comes with a constant label for people; a sink that only hashes may ignore the labels, because every list is preceded
    /// by its length, so the values alone are unambiguous.
    /// </summary>
    public interface IFingerprintSink
    {
        /// <summary>One number (states and flags as their integer values, booleans as 0 / 1).</summary>
        void Add(string name, long value);

        /// <summary>One text (a topic name or a topic filter).</summary>
        void Add(string name, string value);
    }

    /// <summary>
    /// The engine's fingerprint, for model checkers (property-tests/ModelChecking): a canonical description of everything the
    /// engine will decide by. Test-facing only; no driver needs it. It is canonical in three ways, so that a finite model of
    /// network, broker and time has finitely many engine states:
    /// - time: every deadline is written relative to <see cref="Now"/>, and the keepalive's last-sent / last-heard /
    ///   last-ping instants as "milliseconds ago", capped at the keepalive period (no judgement can tell older apart);
    /// - packet identifiers: by rank (<see cref="FingerprintRank"/>: the first in use is 1, in the order of the held messages,
    ///   then the requests), never by value, since the allocator's ever-moving position only decides which fresh
    ///   identifier is taken, and a fresh one never equals one in use;
    /// - links: a message's link as "none / the current one / an older one", never the link number itself.
    /// Left out on purpose: <see cref="Statistics"/> and OutboundMessage.Sends (counters of history, read by nothing that
    /// decides), <see cref="Options"/> (fixed for an engine's life), the driver's random source, the callers' identities
    /// (their number is in), the reason text of the last firing (always set before it is read), and the keepalive
    /// instants while the KeepAlive machine is Inactive (the engine sets all three before its LinkUp leaves Inactive).
    /// The backoff attempt is capped where the delay stops growing (unless the application gave its own policy); how long
    /// the link has been up, at the stable-link time; the first connect's attempts and time, at its bounds.
    /// </summary>
    public sealed partial class SessionEngine
    {
        /// <summary>Writes the engine's state to <paramref name="sink"/>, canonically (see the class remarks for what that means).</summary>
        public void Fingerprint(IFingerprintSink sink)
        {
            long now = _now;
            sink.Add("connection", (int)_connection.State);
            sink.Add("keepAlive", (int)_keepAlive.State);
            sink.Add("hasConnected", Bit(_hasConnected));
            sink.Add("sessionInDoubt", Bit(_sessionInDoubt));
            sink.Add("connectUnanswered", Bit(_connectUnanswered));
            sink.Add("cleanRequested", Bit(_cleanRequested));
            sink.Add("linkUp", Bit(_linkUp));
            sink.Add("linkActive", Bit(_linkActive));
            sink.Add("linkOpen", Bit(_linkOpen));
            // On a link that has proved stable the attempt no longer matters: the next loss starts the delays over.
            bool proved = _linkUp && (_linkProgressed || now - _linkUpAt >= Options.StableLinkMs);
            sink.Add("backoffAttempt", proved ? 0 : CappedBackoffAttempt());
            if (_linkUp && !proved)
            {
                // Only whether the link has proved itself yet decides (the next backoff attempt), so "up for" is capped there.
                sink.Add("upFor", Min(now - _linkUpAt, Options.StableLinkMs));
                sink.Add("linkProgressed", Bit(_linkProgressed));
            }

            if (!_hasConnected && (Options.FirstConnectAttempts > 0 || Options.FirstConnectTimeoutMs > 0))
            {
                // The first connect's bound decides by the attempts and the time since ConnectAsync, capped at the bound.
                sink.Add("attempts", _attempts < Options.FirstConnectAttempts ? _attempts : Options.FirstConnectAttempts);
                sink.Add("connectingFor", Options.FirstConnectTimeoutMs > 0 ? Min(now - _connectStartedAt, Options.FirstConnectTimeoutMs) : 0);
                sink.Add("lastAttemptSocketError", _lastAttemptSocketError);
                sink.Add("lastAttemptRefusal", _lastAttemptRefusal);
            }
            sink.Add("refusal", _refusal);
            // The last CONNACK's terms (MQTT 5): the window, keepalive and packet limit in force.
            sink.Add("window", _window);
            sink.Add("keepAliveInForce", _keepAliveMs);
            sink.Add("pingIntervalInForce", _pingIntervalMs);
            sink.Add("brokerMaximumPacketSize", _brokerMaximumPacketSize);
            sink.Add("connectCallers", _connectCallers.Count);
            sink.Add("disconnectCallers", _disconnectCallers.Count);
            sink.Add("connectionDeadline", Relative(_connectionDeadline, now));
            if (_connectionDeadline != Never)
            {
                sink.Add("connectionDeadlineTrigger", (int)_connectionDeadlineTrigger);
            }

            sink.Add("keepAliveDeadline", Relative(_keepAliveDeadline, now));
            sink.Add("readingPaused", Bit(_readingPaused));
            if (_keepAlive.State != KeepAliveState.Inactive)
            {
                long cap = Max(_keepAliveMs, _pingIntervalMs);
                sink.Add("sinceSent", Min(now - _lastSent, cap));
                sink.Add("sinceHeard", Min(now - HeardUntil(now), cap));
                sink.Add("sincePing", Min(now - _lastPingSent, cap));
            }

            sink.Add("responseDeadline", Relative(_responseDeadline, now));
            if (_auth != null)
            {
                sink.Add("authentication", (int)_auth.Machine.State);
                sink.Add("reauthCallers", _auth.Callers.Count);
                sink.Add("authenticationDeadline", Relative(_auth.Deadline, now));
            }

            sink.Add("queueWasFull", Bit(_queueWasFull));
            sink.Add("awaitingAck", _awaitingAck);
            sink.Add("drains", _drains.Count);
            for (int i = 0; i < _drains.Count; i++)
            {
                // Relative, like everything here: how many held messages the drain still waits for, not their sequence numbers.
                long upTo = ((DrainWait)_drains[i]).UpTo;
                int waitingFor = 0;
                for (OutboundMessage m = _held.First; m != null && m.Sequence <= upTo; m = m.Next)
                {
                    waitingFor++;
                }

                sink.Add("drainWaitsFor", waitingFor);
            }
            FingerprintHeld(sink, now);
            FingerprintRequests(sink, now);
            sink.Add("subscriptions", _subscriptions.Count);
            for (int i = 0; i < _subscriptions.Count; i++)
            {
                Subscription subscription = (Subscription)_subscriptions[i];
                sink.Add("filter", subscription.Filter);
                sink.Add("requestedQos", subscription.RequestedQos);
                sink.Add("options", subscription.Options);
                sink.Add("identifier", subscription.Identifier);
                sink.Add("grantedQos", subscription.GrantedQos);
            }

            FingerprintReceived(sink);
            sink.Add("pendingActions", _actions.Count);
            sink.Add("pendingEvents", _events.Count);
        }

        /// <summary>
        /// The rank the fingerprint gives <paramref name="packetId"/>: 1 for the first identifier in use, counting the held
        /// messages oldest first and then the requests in order; 0 when no held message or request uses it (a stale one). A
        /// model checker renames the identifiers of packets in flight with it, so they match the engine's fingerprint.
        /// </summary>
        public int FingerprintRank(int packetId)
        {
            if (packetId == 0)
            {
                return 0;
            }

            int rank = 0;
            for (OutboundMessage m = _held.First; m != null; m = m.Next)
            {
                if (m.PacketId != 0)
                {
                    rank++;
                    if (m.PacketId == packetId)
                    {
                        return rank;
                    }
                }
            }

            for (int i = 0; i < _requests.Count; i++)
            {
                SubscriptionRequest request = (SubscriptionRequest)_requests[i];
                if (request.PacketId != 0)
                {
                    rank++;
                    if (request.PacketId == packetId)
                    {
                        return rank;
                    }
                }
            }

            return 0;
        }

        private void FingerprintHeld(IFingerprintSink sink, long now)
        {
            sink.Add("held", _held.Count);
            int cursor = -1;
            int index = 0;
            int mapped = 0;
            for (OutboundMessage m = _held.First; m != null; m = m.Next)
            {
                if (m == _cursor)
                {
                    cursor = index;
                }

                sink.Add("qos", m.Qos);
                sink.Add("state", (int)m.State);
                sink.Add("id", FingerprintRank(m.PacketId));
                bool inMap = m.PacketId != 0 && _inFlight.Get(m.PacketId) == m;
                mapped += inMap ? 1 : 0;
                sink.Add("idMapped", Bit(inMap));
                sink.Add("detached", Bit(m.CallerDetached));
                sink.Add("republishes", m.RepublishesOnLink);
                if (IsAwaitingAnswer(m.State))
                {
                    sink.Add("deadline", m.DeadlineMs - now);
                }

                sink.Add("writtenOn", LinkRelative(m.WrittenOnLink));
                sink.Add("retain", Bit(m.Retain));
                sink.Add("owned", Bit(m.Owner == this && m.Held));
                sink.Add("topic", m.Topic);
                sink.Add("bytes", m.Payload.Length);
                index++;
            }

            sink.Add("cursor", cursor);
            for (int i = 0; i < _requests.Count; i++)
            {
                SubscriptionRequest request = (SubscriptionRequest)_requests[i];
                mapped += request.PacketId != 0 && _inFlight.Get(request.PacketId) == request ? 1 : 0;
            }

            // Identifiers held for something that is neither a held message nor a request: a leak, written raw.
            sink.Add("unmatchedIds", _inFlight.Count - mapped);
            if (_inFlight.Count != mapped)
            {
                for (int slot = 0; slot < _inFlight.Capacity; slot++)
                {
                    object value = _inFlight.ValueAt(slot);
                    if (value != null && !IsMapped(value))
                    {
                        sink.Add("unmatchedId", _inFlight.KeyAt(slot));
                        sink.Add("unmatchedIsMessage", Bit(value is OutboundMessage));
                    }
                }
            }
        }

        private void FingerprintRequests(IFingerprintSink sink, long now)
        {
            sink.Add("requests", _requests.Count);
            for (int i = 0; i < _requests.Count; i++)
            {
                SubscriptionRequest request = (SubscriptionRequest)_requests[i];
                sink.Add("subscribe", Bit(request.IsSubscribe));
                sink.Add("restore", Bit(request.IsRestore));
                sink.Add("filters", request.Filters.Length);
                for (int f = 0; f < request.Filters.Length; f++)
                {
                    sink.Add("filter", request.Filters[f]);
                    if (request.Qos != null)
                    {
                        sink.Add("qos", request.Qos[f]);
                        sink.Add("options", request.OptionsOf(f));
                    }
                }

                sink.Add("identifier", request.Identifier);

                sink.Add("id", FingerprintRank(request.PacketId));
                sink.Add("idMapped", Bit(request.PacketId != 0 && _inFlight.Get(request.PacketId) == request));
                if (request.PacketId != 0)
                {
                    sink.Add("deadline", request.DeadlineMs - now);
                }

                sink.Add("detached", Bit(request.CallerDetached));
                sink.Add("hasCaller", Bit(request.Caller != null));
            }
        }

        private void FingerprintReceived(IFingerprintSink sink)
        {
            // Inbound identifiers are the broker's: written by value, in ascending order.
            int count = _qos2Receipts.Count;
            int[] keys = new int[count];
            bool[] acknowledged = new bool[count];
            bool[] doubted = new bool[count];
            long[] digests = new long[count];
            int n = 0;
            for (int slot = 0; slot < _qos2Receipts.Capacity && n < count; slot++)
            {
                object value = _qos2Receipts.ValueAt(slot);
                if (value == null)
                {
                    continue;
                }

                int key = _qos2Receipts.KeyAt(slot);
                int at = n++;
                while (at > 0 && keys[at - 1] > key)
                {
                    keys[at] = keys[at - 1];
                    acknowledged[at] = acknowledged[at - 1];
                    doubted[at] = doubted[at - 1];
                    digests[at] = digests[at - 1];
                    at--;
                }

                keys[at] = key;
                acknowledged[at] = ((InboundReceipt)value).State == ReceiptState.AwaitingPubRel;
                doubted[at] = ((InboundReceipt)value).KeptThroughDoubt;
                digests[at] = ((InboundReceipt)value).TopicDigest ^ ((InboundReceipt)value).PayloadDigest;
            }

            sink.Add("qos2Receipts", n);
            for (int i = 0; i < n; i++)
            {
                sink.Add("receiptId", keys[i]);
                sink.Add("receiptAcknowledged", Bit(acknowledged[i]));
                sink.Add("receiptDoubted", Bit(doubted[i]));
                sink.Add("receiptDigest", digests[i]); // which message holds the identifier
            }

            sink.Add("inbound", _inbound.Count);
            for (int i = 0; i < _inbound.Count; i++)
            {
                InboundMessage m = _inbound.At(i);
                sink.Add("topic", m.Topic);
                sink.Add("qos", m.Qos);
                sink.Add("id", m.PacketId);
                sink.Add("dup", Bit(m.Dup));
                sink.Add("retain", Bit(m.Retain));
                sink.Add("bytes", m.Payload == null ? -1 : m.Payload.Length);
                sink.Add("placeholder", Bit(m.IsPlaceholder)); // an oversized message awaiting its acknowledgement's turn
                sink.Add("link", LinkRelative(m.Link));
            }
        }

        /// <summary>The received messages waiting for the application, oldest first (placeholders included): for model checkers.</summary>
        public InboundMessage[] SnapshotReceived()
        {
            InboundMessage[] all = new InboundMessage[_inbound.Count];
            for (int i = 0; i < all.Length; i++)
            {
                all[i] = _inbound.At(i);
            }

            return all;
        }

        /// <summary>True while an inbound QoS 2 receipt holds <paramref name="packetId"/> (from its PUBLISH until PUBREL): for model checkers.</summary>
        public bool HoldsReceipt(int packetId)
        {
            return _qos2Receipts.Get(packetId) != null;
        }

        private bool IsMapped(object value)
        {
            OutboundMessage message = value as OutboundMessage;
            if (message != null)
            {
                return message.Held && message.Owner == this && _inFlight.Get(message.PacketId) == message;
            }

            SubscriptionRequest request = value as SubscriptionRequest;
            return request != null && _requests.IndexOf(request) >= 0 && _inFlight.Get(request.PacketId) == request;
        }

        /// <summary>0: no link; 1: the current link; 2: an older one.</summary>
        private int LinkRelative(int link)
        {
            return link == 0 ? 0 : link == _link ? 1 : 2;
        }

        private int CappedBackoffAttempt()
        {
            if (Options.Backoff != null)
            {
                return _backoffAttempt;
            }

            // From this attempt on, the ceiling (and so the delay, for the same random value) no longer grows.
            int saturated = 1;
            while (BackoffRules.CeilingMs(saturated, Options.BackoffInitialMs, Options.BackoffMaximumMs) < Options.BackoffMaximumMs)
            {
                saturated++;
            }

            return _backoffAttempt < saturated ? _backoffAttempt : saturated;
        }

        private static long Relative(long deadline, long now)
        {
            return deadline == Never ? Never : deadline - now;
        }

        private static int Bit(bool value)
        {
            return value ? 1 : 0;
        }
    }
}
