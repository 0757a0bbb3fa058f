using System.Collections;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Engine
{
    /// <summary>SUBSCRIBE and UNSUBSCRIBE requests, the subscriptions in force and their restore (I8), and the response deadline.</summary>
    public sealed partial class SessionEngine
    {
        private readonly ArrayList _requests = new ArrayList();      // SubscriptionRequest, in order
        private readonly ArrayList _subscriptions = new ArrayList(); // Subscription
        private long _responseDeadline = Never;
        private long _requestsSent;

        /// <summary>The subscriptions that would be restored, for invariant checks (I8).</summary>
        public Subscription[] SnapshotSubscriptions()
        {
            Subscription[] all = new Subscription[_subscriptions.Count];
            for (int i = 0; i < all.Length; i++)
            {
                all[i] = (Subscription)_subscriptions[i];
            }

            return all;
        }

        /// <summary>
        /// Queues a SUBSCRIBE or UNSUBSCRIBE, sent when connected; its caller hears RequestCompleted or RequestFailed.
        /// An UNSUBSCRIBE's filters stop being restored at once, so a reconnect in between does not bring them back.
        /// </summary>
        public void Request(SubscriptionRequest request, long now)
        {
            _now = now;
            EnsureNotDisposed();
            if (!request.IsSubscribe)
            {
                for (int i = 0; i < request.Filters.Length; i++)
                {
                    RemoveSubscription(request.Filters[i]);
                }
            }

            _requests.Add(request);
            SendRequests();
        }

        /// <summary>The caller cancelled: never sent, it is withdrawn; sent, the broker still applies it and only the caller stops waiting.</summary>
        public void CancelRequest(SubscriptionRequest request, long now)
        {
            _now = now;
            if (_requests.IndexOf(request) < 0 || request.CallerDetached)
            {
                return;
            }

            if (request.PacketId == 0)
            {
                RemoveFrom(_requests, request);
                Emit(EventKind.RequestCancelled, request.Caller, "withdrawn before it was sent");
                return;
            }

            request.CallerDetached = true;
            Emit(EventKind.RequestCancelled, request.Caller, "the caller stopped waiting; the broker still applies it");
        }

        private void RestoreSubscriptions()
        {
            // A restore still waiting from an earlier link (lost before its SUBACK) is replaced, not repeated: the new one
            // is built from the subscriptions as they are now, so one SUBSCRIBE restores them all.
            for (int i = _requests.Count - 1; i >= 0; i--)
            {
                if (((SubscriptionRequest)_requests[i]).IsRestore)
                {
                    _requests.RemoveAt(i);
                }
            }

            if (_subscriptions.Count == 0)
            {
                return;
            }

            // One SUBSCRIBE per Subscription Identifier (a SUBSCRIBE carries at most one [MQTT-3.8.2.1.2]): under 3.1.1, and
            // whenever none was given, one for them all; each asks again for the QoS and options the application asked for,
            // before anything else the application queued.
            int at = 0;
            for (int i = 0; i < _subscriptions.Count; i++)
            {
                int identifier = ((Subscription)_subscriptions[i]).Identifier;
                if (FirstWithIdentifier(identifier) == i)
                {
                    _requests.Insert(at++, RestoreRequest(identifier));
                }
            }
        }

        private int FirstWithIdentifier(int identifier)
        {
            for (int i = 0; i < _subscriptions.Count; i++)
            {
                if (((Subscription)_subscriptions[i]).Identifier == identifier)
                {
                    return i;
                }
            }

            return -1;
        }

        private SubscriptionRequest RestoreRequest(int identifier)
        {
            int count = 0;
            bool anyOptions = false;
            for (int i = 0; i < _subscriptions.Count; i++)
            {
                Subscription subscription = (Subscription)_subscriptions[i];
                if (subscription.Identifier == identifier)
                {
                    count++;
                    anyOptions = anyOptions || subscription.Options != 0;
                }
            }

            string[] filters = new string[count];
            int[] qos = new int[count];
            int[] options = anyOptions ? new int[count] : null;
            int at = 0;
            for (int i = 0; i < _subscriptions.Count; i++)
            {
                Subscription subscription = (Subscription)_subscriptions[i];
                if (subscription.Identifier == identifier)
                {
                    filters[at] = subscription.Filter;
                    qos[at] = subscription.RequestedQos;
                    if (options != null)
                    {
                        options[at] = subscription.Options;
                    }

                    at++;
                }
            }

            return SubscriptionRequest.Restore(filters, qos, options, identifier);
        }

        private void SendRequests()
        {
            if (_connection.State != ConnectionState.Connected)
            {
                return;
            }

            for (int i = 0; i < _requests.Count; i++)
            {
                SubscriptionRequest request = (SubscriptionRequest)_requests[i];
                if (request.PacketId != 0)
                {
                    continue;
                }

                request.PacketId = _inFlight.TakeFreeId();
                _inFlight.Put(request.PacketId, request);
                request.SentSequence = ++_requestsSent;
                request.DeadlineMs = _now + Options.ResponseTimeMs;
                EngineAction action = NewSend(request.IsSubscribe ? PacketKind.Subscribe : PacketKind.Unsubscribe);
                action.Request = request;
                action.PacketId = request.PacketId;
                Transmit(action);
                _responseDeadline = Min(_responseDeadline, request.DeadlineMs);
            }
        }

        private void OnSubAck(int packetId, byte[] returnCodes)
        {
            SubscriptionRequest request = _inFlight.Get(packetId) as SubscriptionRequest;
            if (request == null)
            {
                Ignored("SUBACK for packet " + packetId.ToString() + ", which no request awaits");
                return;
            }

            if (!request.IsSubscribe || returnCodes == null || returnCodes.Length != request.Filters.Length)
            {
                FireConnection(ConnectionTrigger.ProtocolViolation, "the SUBACK for packet " + packetId.ToString() + " does not match its request [MQTT-3.9.3-1]", 0);
                return;
            }

            EndRequest(request);
            SupersedeEarlier(request);
            for (int i = 0; i < returnCodes.Length; i++)
            {
                if (returnCodes[i] >= 0x80)
                {
                    // Refused (0x80 in 3.1.1; any code from 0x80 in MQTT 5 [MQTT-3.9.3]): not in force, so not restored.
                    // A refused restore is reported, with no caller.
                    RemoveSubscription(request.Filters[i]);
                    if (request.IsRestore)
                    {
                        Failure(EventKind.RequestFailed, null, request.Filters[i], returnCodes[i]);
                    }

                    continue;
                }

                SetSubscription(request.Filters[i], request.Qos[i], returnCodes[i], request.OptionsOf(i), request.Identifier);
            }

            if (request.IsRestore || request.CallerDetached)
            {
                return;
            }

            if (returnCodes[0] >= 0x80)
            {
                Failure(EventKind.RequestFailed, request.Caller, request.Filters[0], returnCodes[0]);
                return;
            }

            EngineEvent e = default(EngineEvent);
            e.Kind = EventKind.RequestCompleted;
            e.Caller = request.Caller;
            e.Granted = returnCodes[0];
            e.ReturnCode = -1;
            e.Reason = "subscribed";
            Emit(e);
        }

        private void OnUnsubAck(int packetId, byte[] reasonCodes, string reasonString)
        {
            SubscriptionRequest request = _inFlight.Get(packetId) as SubscriptionRequest;
            if (request == null || request.IsSubscribe)
            {
                if (request == null)
                {
                    Ignored("UNSUBACK for packet " + packetId.ToString() + ", which no request awaits");
                }
                else
                {
                    FireConnection(ConnectionTrigger.ProtocolViolation, "the UNSUBACK for packet " + packetId.ToString() + " answers a SUBSCRIBE [MQTT-3.11.3]", 0);
                }

                return;
            }

            if (reasonCodes != null && reasonCodes.Length != request.Filters.Length)
            {
                FireConnection(ConnectionTrigger.ProtocolViolation, "the UNSUBACK for packet " + packetId.ToString() + " does not match its request [MQTT-3.11.3-1]", 0);
                return;
            }

            EndRequest(request);
            SupersedeEarlier(request);
            // Again now: a SUBSCRIBE for the same filter queued before it may have been granted in between.
            for (int i = 0; i < request.Filters.Length; i++)
            {
                RemoveSubscription(request.Filters[i]);
            }

            if (request.CallerDetached)
            {
                return;
            }

            bool refused = false;
            for (int i = 0; reasonCodes != null && i < reasonCodes.Length; i++)
            {
                if (reasonCodes[i] >= 0x80)
                {
                    // Refused (MQTT 5 [MQTT-3.11.3]): the broker may still hold it, but the client no longer restores it.
                    EngineEvent e = default(EngineEvent);
                    e.Kind = EventKind.RequestFailed;
                    e.Caller = refused ? null : request.Caller;
                    e.Failure = FailureKind.UnsubscribeRefused;
                    e.Filter = request.Filters[i];
                    e.ReturnCode = reasonCodes[i];
                    e.Reason = "the broker refused to unsubscribe from \"" + request.Filters[i] + "\" (UNSUBACK 0x" + ((int)reasonCodes[i]).ToString("X2") + ")"
                        + (reasonString == null ? "" : ": " + reasonString) + "; the client no longer restores that subscription";
                    Emit(e);
                    refused = true;
                }
            }

            if (!refused)
            {
                Emit(EventKind.RequestCompleted, request.Caller, "unsubscribed");
            }
        }

        private void Failure(EventKind kind, object caller, string filter, int code)
        {
            EngineEvent e = default(EngineEvent);
            e.Kind = kind;
            e.Caller = caller;
            e.Failure = FailureKind.SubscriptionRefused;
            e.Filter = filter;
            e.ReturnCode = code;
            e.Reason = "the broker refused the subscription to \"" + filter + "\" (SUBACK 0x" + code.ToString("X2") + ")";
            Emit(e);
        }

        private void EndRequest(SubscriptionRequest request)
        {
            _inFlight.Remove(request.PacketId);
            request.PacketId = 0;
            RemoveFrom(_requests, request);
            RecomputeResponseDeadline();
        }

        /// <summary>
        /// The broker takes a link's packets in order, so once it has answered <paramref name="later"/>, every request sent
        /// before it on this link was applied too, even if its acknowledgement was lost. A request of the other kind still
        /// open for one of later's filters must not be sent again after a reconnect, or it would undo later (I8): that filter
        /// is dropped from it, and a request left with none is complete. What is left of it goes again now.
        /// </summary>
        private void SupersedeEarlier(SubscriptionRequest later)
        {
            bool changed = false;
            for (int i = _requests.Count - 1; i >= 0; i--)
            {
                SubscriptionRequest earlier = (SubscriptionRequest)_requests[i];
                if (earlier.IsSubscribe == later.IsSubscribe || earlier.PacketId == 0 || earlier.SentSequence > later.SentSequence)
                {
                    continue;
                }

                int had = earlier.Filters.Length;
                int kept = earlier.DropFiltersOf(later);
                if (kept == had)
                {
                    continue;
                }

                // Its acknowledgement, should it still come, no longer matches what is left of it.
                _inFlight.Remove(earlier.PacketId);
                earlier.PacketId = 0;
                changed = true;
                if (kept > 0)
                {
                    continue;
                }

                _requests.RemoveAt(i);
                if (earlier.Caller != null && !earlier.CallerDetached)
                {
                    EngineEvent e = default(EngineEvent);
                    e.Kind = EventKind.RequestCompleted;
                    e.Caller = earlier.Caller;
                    e.Granted = earlier.IsSubscribe ? earlier.Qos[0] : 0;
                    e.ReturnCode = -1;
                    e.Reason = "applied by the broker, whose acknowledgement was lost: a later request for the same filters was answered";
                    Emit(e);
                }
            }

            if (changed)
            {
                SendRequests();
                RecomputeResponseDeadline();
            }
        }

        private void ReleaseRequestIdentifiers()
        {
            for (int i = 0; i < _requests.Count; i++)
            {
                SubscriptionRequest request = (SubscriptionRequest)_requests[i];
                if (request.PacketId != 0)
                {
                    // Sent on the lost link: sent again on the next, with a fresh identifier.
                    _inFlight.Remove(request.PacketId);
                    request.PacketId = 0;
                }
            }
        }

        private void SetSubscription(string filter, int requested, int granted, int options, int identifier)
        {
            RecordSubscription(filter, requested, options, identifier);
            Subscription existing = FindSubscription(filter);
            if (existing == null)
            {
                _subscriptions.Add(new Subscription(filter, requested, granted, options, identifier));
                return;
            }

            existing.RequestedQos = requested;
            existing.GrantedQos = granted;
            existing.Options = options;
            existing.Identifier = identifier;
        }

        private void RemoveSubscription(string filter)
        {
            Subscription existing = FindSubscription(filter);
            if (existing != null)
            {
                RecordSubscription(filter, -1, 0, 0);
                RemoveFrom(_subscriptions, existing);
            }
        }

        private Subscription FindSubscription(string filter)
        {
            for (int i = 0; i < _subscriptions.Count; i++)
            {
                Subscription subscription = (Subscription)_subscriptions[i];
                if (subscription.Filter == filter)
                {
                    return subscription;
                }
            }

            return null;
        }

        /// <summary>A PUBACK, PUBREC, PUBCOMP, SUBACK or UNSUBACK is overdue: requests close the link; publish flows hear ResponseTimeout, in order.</summary>
        private void OnResponseDeadline()
        {
            long now = _now;
            for (int i = 0; i < _requests.Count; i++)
            {
                SubscriptionRequest request = (SubscriptionRequest)_requests[i];
                if (request.PacketId != 0 && request.DeadlineMs <= now)
                {
                    FireConnection(ConnectionTrigger.ResponseTimeout, "no acknowledgement for packet " + request.PacketId.ToString() + " within " + Options.ResponseTimeMs.ToString() + " ms", 0);
                    return;
                }
            }

            OutboundMessage message = _held.First;
            while (message != null && message != _cursor && _connection.State == ConnectionState.Connected)
            {
                OutboundMessage next = message.Next;
                if (IsAwaitingAnswer(message.State) && message.DeadlineMs <= now)
                {
                    FirePublish(message, PublishTrigger.ResponseTimeout);
                }

                message = next;
            }

            RecomputeResponseDeadline();
        }

        private void RecomputeResponseDeadline()
        {
            // A PUBACK deadline means something only while Connected: OnResponseDeadline fires ResponseTimeout on flows
            // only then. Counting one while disconnecting would leave the deadline due and unhandled, and a driver spinning.
            bool publishDeadlines = _connection.State == ConnectionState.Connected;
            long earliest = Never;
            for (int slot = 0; slot < _inFlight.Capacity; slot++)
            {
                object value = _inFlight.ValueAt(slot);
                OutboundMessage message = value as OutboundMessage;
                if (message != null)
                {
                    if (publishDeadlines && IsAwaitingAnswer(message.State))
                    {
                        earliest = Min(earliest, message.DeadlineMs);
                    }

                    continue;
                }

                SubscriptionRequest request = value as SubscriptionRequest;
                if (request != null && request.PacketId != 0)
                {
                    earliest = Min(earliest, request.DeadlineMs);
                }
            }

            _responseDeadline = earliest;
        }
    }
}
