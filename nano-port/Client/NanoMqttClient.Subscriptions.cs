using System;
using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Client
{
    // Subscriptions are remembered and restored after every reconnect whose session is new (I8); an overdue SUBACK or
    // UNSUBACK means the link is not working (the Connection table's ResponseTimeout in Connected).
    public sealed partial class NanoMqttClient
    {
        private static readonly byte[] OneQos0 = new byte[] { 0 };
        private static readonly byte[] OneQos1 = new byte[] { 1 };

        /// <summary>Subscribes to <paramref name="filter"/> at QoS 0 or 1, now if connected and again after every new session. False when MaxSubscriptions are in use.</summary>
        public bool Subscribe(string filter, int qos)
        {
            EnsureNotDisposed();
            if (qos != 0 && qos != 1)
            {
                throw new ArgumentException("The device client subscribes at QoS 0 or 1, not " + qos.ToString() + ".");
            }

            if (WireFormat.MeasureString(filter, "topic filter") == 0)
            {
                throw new ArgumentException("The topic filter is empty; filters must be at least one character [MQTT-4.7.3-1].");
            }

            NanoSubscription subscription = Find(filter);
            if (subscription == null)
            {
                int free = FreeSubscriptionSlot();
                if (free < 0)
                {
                    return false;
                }

                subscription = new NanoSubscription(filter, qos);
                _subscriptions[free] = subscription;
            }

            subscription.Qos = qos;
            subscription.Removing = false;
            subscription.InForce = false;
            SendRequest(subscription);
            return true;
        }

        /// <summary>Unsubscribes from <paramref name="filter"/>: it will not be restored after a reconnect.</summary>
        public void Unsubscribe(string filter)
        {
            EnsureNotDisposed();
            NanoSubscription subscription = Find(filter);
            if (subscription != null)
            {
                subscription.Removing = true;
                subscription.InForce = false;
                SendRequest(subscription);
            }
        }

        /// <summary>True while connected with <paramref name="filter"/> acknowledged by the broker on the current session.</summary>
        public bool IsSubscribed(string filter)
        {
            NanoSubscription subscription = Find(filter);
            return IsConnected && subscription != null && subscription.InForce && !subscription.Removing;
        }

        /// <summary>After CONNACK: a new session has none of our subscriptions, so all go again; a kept one needs only the unacknowledged.</summary>
        private void RestoreSubscriptions(bool newSession)
        {
            for (int i = 0; i < _subscriptions.Length; i++)
            {
                NanoSubscription subscription = _subscriptions[i];
                if (subscription != null && newSession && subscription.Removing)
                {
                    _subscriptions[i] = null; // a new session holds nothing to remove
                }
                else if (subscription != null && newSession)
                {
                    subscription.InForce = false;
                }
            }

            SendUnsentRequests();
        }

        /// <summary>Sends every SUBSCRIBE / UNSUBSCRIBE not yet on this link, as the send buffer has room.</summary>
        private void SendUnsentRequests()
        {
            for (int i = 0; i < _subscriptions.Length; i++)
            {
                NanoSubscription subscription = _subscriptions[i];
                if (subscription != null && subscription.PendingId == 0 && (subscription.Removing || !subscription.InForce))
                {
                    SendRequest(subscription);
                }
            }
        }

        /// <summary>Sends SUBSCRIBE or UNSUBSCRIBE for one record, when connected and the send buffer has room (else at the next restore).</summary>
        private void SendRequest(NanoSubscription subscription)
        {
            if (!IsConnected || _outbox.Free < 8 + 3 * subscription.Filter.Length + 1)
            {
                return;
            }

            subscription.PendingId = 0;
            int id = AllocatePacketId();
            _outbox.Compact();
            string[] filters = new string[] { subscription.Filter };
            int length = subscription.Removing
                ? NanoPacketWriter.WriteUnsubscribe(_outbox.Buffer, _outbox.WriteOffset, id, filters)
                : NanoPacketWriter.WriteSubscribe(_outbox.Buffer, _outbox.WriteOffset, id, filters, subscription.Qos == 0 ? OneQos0 : OneQos1);
            if (length > 0)
            {
                Sent(length);
                subscription.PendingId = id;
                subscription.DeadlineMilliseconds = _clock.NowMilliseconds + _options.ResponseTimeMilliseconds;
                Flush();
            }
        }

        private void OnSubAck(int packetId, byte[] returnCodes)
        {
            NanoSubscription subscription = FindPending(packetId);
            if (subscription == null || subscription.Removing)
            {
                return;
            }

            subscription.PendingId = 0;
            if (returnCodes[0] == 0x80)
            {
                // Refused for good (authorisation): restoring it would be refused again.
                LastError = "the broker refused the subscription to \"" + subscription.Filter + "\" (SUBACK 0x80)";
                Forget(subscription);
                return;
            }

            subscription.InForce = true;
        }

        private void OnUnsubAck(int packetId)
        {
            NanoSubscription subscription = FindPending(packetId);
            if (subscription != null && subscription.Removing)
            {
                Forget(subscription);
            }
        }

        private void CheckRequestDeadlines(long now)
        {
            for (int i = 0; i < _subscriptions.Length; i++)
            {
                NanoSubscription subscription = _subscriptions[i];
                if (subscription != null && subscription.PendingId != 0 && now >= subscription.DeadlineMilliseconds)
                {
                    LastError = (subscription.Removing ? "UNSUBACK" : "SUBACK") + " for \"" + subscription.Filter + "\" is overdue";
                    FireConnection(ConnectionTrigger.ResponseTimeout);
                    return;
                }
            }
        }

        /// <summary>The link closed: acks still awaited will never come on it; the requests go again on the next link.</summary>
        private void ForgetPendingRequests()
        {
            for (int i = 0; i < _subscriptions.Length; i++)
            {
                if (_subscriptions[i] != null)
                {
                    _subscriptions[i].PendingId = 0;
                }
            }
        }

        private NanoSubscription Find(string filter)
        {
            for (int i = 0; i < _subscriptions.Length; i++)
            {
                if (_subscriptions[i] != null && _subscriptions[i].Filter == filter)
                {
                    return _subscriptions[i];
                }
            }

            return null;
        }

        private NanoSubscription FindPending(int packetId)
        {
            for (int i = 0; i < _subscriptions.Length; i++)
            {
                if (_subscriptions[i] != null && _subscriptions[i].PendingId == packetId)
                {
                    return _subscriptions[i];
                }
            }

            return null;
        }

        private int FreeSubscriptionSlot()
        {
            for (int i = 0; i < _subscriptions.Length; i++)
            {
                if (_subscriptions[i] == null)
                {
                    return i;
                }
            }

            return -1;
        }

        private void Forget(NanoSubscription subscription)
        {
            for (int i = 0; i < _subscriptions.Length; i++)
            {
                if (_subscriptions[i] == subscription)
                {
                    _subscriptions[i] = null;
                }
            }
        }
    }
}
