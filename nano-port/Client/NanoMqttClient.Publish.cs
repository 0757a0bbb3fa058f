using System;
using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Nano.Interpreter;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Client
{
    // Outbound messages. QoS 1 ones are held, in order, each with its own Publish-machine state, until PUBACK (I1).
    public sealed partial class NanoMqttClient
    {
        private readonly PublishGuards _publishGuards = new PublishGuards();
        private int _heldCount;
        private int _nextPacketId;

        /// <summary>
        /// Publishes a message. QoS 1: held until PUBACK, re-sent with DUP after a response timeout or a reconnect; false
        /// when <see cref="NanoMqttOptions.QueueLength"/> messages are already held. QoS 0: sent now if connected, else false.
        /// </summary>
        public bool Publish(string topic, byte[] payload, int qos, bool retain)
        {
            EnsureNotDisposed();
            if (qos != 0 && qos != 1)
            {
                throw new ArgumentException("The device client publishes at QoS 0 or 1, not " + qos.ToString() + ".");
            }

            WireFormat.EnsureTopicName(topic, "PUBLISH topic");
            WireFormat.MeasureString(topic, "PUBLISH topic");
            byte[] body = payload ?? WireFormat.NoBytes;
            if (PublishSize(topic, body) > _options.SendBufferSize)
            {
                throw new ArgumentException("A PUBLISH to \"" + topic + "\" with " + body.Length.ToString() + " payload bytes does not fit in the send buffer of " + _options.SendBufferSize.ToString() + " bytes. Raise NanoMqttOptions.SendBufferSize or send less.");
            }

            if (qos == 0)
            {
                return SendQos0(topic, body, retain);
            }

            if (_heldCount == _held.Length)
            {
                return false;
            }

            NanoOutboundMessage message = new NanoOutboundMessage(topic, body, retain, AllocatePacketId());
            _held[_heldCount++] = message;
            if (IsConnected)
            {
                TransmitHeld();
                Flush();
            }

            return true;
        }

        private bool SendQos0(string topic, byte[] payload, bool retain)
        {
            if (!IsConnected || _outbox.Free < PublishSize(topic, payload))
            {
                return false;
            }

            _outbox.Compact();
            Sent(NanoPacketWriter.WritePublish(_outbox.Buffer, _outbox.WriteOffset, topic, payload, 0, retain, false, 0));
            Flush();
            return true;
        }

        /// <summary>Sends held messages not yet on this link (queued or to re-send), in order, while the send buffer has room.</summary>
        private void TransmitHeld()
        {
            int generation = _linkGeneration;
            for (int i = 0; i < _heldCount && generation == _linkGeneration && IsConnected; i++)
            {
                NanoOutboundMessage message = _held[i];
                if (message.State != PublishState.Queued && message.State != PublishState.Resend)
                {
                    continue;
                }

                if (_outbox.Free < PublishSize(message.Topic, message.Payload))
                {
                    return; // keep the order [MQTT-4.6.0-1]: the rest wait for room
                }

                FirePublish(message, PublishTrigger.Transmit);
            }
        }

        private void CheckPublishDeadlines(long now)
        {
            int generation = _linkGeneration;
            for (int i = 0; i < _heldCount && generation == _linkGeneration; i++)
            {
                NanoOutboundMessage message = _held[i];
                if (message.State == PublishState.AwaitingPubAck && now >= message.DeadlineMilliseconds
                    && _outbox.Free >= PublishSize(message.Topic, message.Payload))
                {
                    FirePublish(message, PublishTrigger.ResponseTimeout);
                }
            }
        }

        private void OnPubAck(int packetId)
        {
            for (int i = 0; i < _heldCount; i++)
            {
                if (_held[i].PacketId == packetId)
                {
                    FirePublish(_held[i], PublishTrigger.PubAck);
                    return;
                }
            }
        }

        /// <summary>The link closed: every held message learns it (sent ones move to Resend), and re-publish counts restart.</summary>
        private void MarkHeldForResend()
        {
            for (int i = 0; i < _heldCount; i++)
            {
                FirePublish(_held[i], PublishTrigger.LinkLost);
                _held[i].Republishes = 0;
            }
        }

        private void FirePublish(NanoOutboundMessage message, PublishTrigger trigger)
        {
            _publishGuards.Republishes = message.Republishes;
            _publishGuards.MaxRepublishes = _options.MaxRepublishes;
            PublishTransition row = _publish.Fire(message.State, trigger, _publishGuards);
            message.State = row.To;
            switch (row.Effect)
            {
                case PublishEffect.None:
                case PublishEffect.DetachCaller:
                    break;
                case PublishEffect.SendPublish:
                    WriteHeld(message, false);
                    break;
                case PublishEffect.SendPublishDup:
                    if (row.From == PublishState.AwaitingPubAck)
                    {
                        message.Republishes++;
                    }

                    WriteHeld(message, true);
                    break;
                case PublishEffect.CompletePublish:
                case PublishEffect.Withdraw:
                    Remove(message);
                    break;
                case PublishEffect.DeclareLinkDead:
                    LastError = "no PUBACK for packet " + message.PacketId.ToString() + " after " + _options.MaxRepublishes.ToString() + " re-sends";
                    FireConnection(ConnectionTrigger.RepublishLimitReached);
                    break;
                default:
                    throw new InvalidOperationException("Publish effect " + row.Effect.ToString() + " has no binding in nano-port/.");
            }
        }

        private void WriteHeld(NanoOutboundMessage message, bool dup)
        {
            _outbox.Compact();
            Sent(NanoPacketWriter.WritePublish(_outbox.Buffer, _outbox.WriteOffset, message.Topic, message.Payload, 1, message.Retain, dup, message.PacketId));
            message.DeadlineMilliseconds = _clock.NowMilliseconds + _options.ResponseTimeMilliseconds;
        }

        private void Remove(NanoOutboundMessage message)
        {
            for (int i = 0; i < _heldCount; i++)
            {
                if (_held[i] == message)
                {
                    Array.Copy(_held, i + 1, _held, i, _heldCount - i - 1);
                    _held[--_heldCount] = null;
                    return;
                }
            }
        }

        /// <summary>A non-zero identifier no held message or pending request uses (I2).</summary>
        private int AllocatePacketId()
        {
            while (true)
            {
                _nextPacketId = _nextPacketId == 65535 ? 1 : _nextPacketId + 1;
                if (!PacketIdInUse(_nextPacketId))
                {
                    return _nextPacketId;
                }
            }
        }

        private bool PacketIdInUse(int id)
        {
            for (int i = 0; i < _heldCount; i++)
            {
                if (_held[i].PacketId == id)
                {
                    return true;
                }
            }

            for (int i = 0; i < _subscriptions.Length; i++)
            {
                if (_subscriptions[i] != null && _subscriptions[i].PendingId == id)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The encoded size of a QoS 1 PUBLISH (an upper bound for QoS 0).</summary>
        private static int PublishSize(string topic, byte[] payload)
        {
            int remaining = 2 + Utf8.Measure(topic) + 2 + payload.Length;
            return 1 + WireFormat.RemainingLengthSize(remaining) + remaining;
        }

        private sealed class PublishGuards : IPublishGuards
        {
            public int Republishes { get; set; }

            public int MaxRepublishes { get; set; }

            public bool Holds(PublishGuard guard)
            {
                switch (guard)
                {
                    case PublishGuard.RepublishesLeft: return Republishes < MaxRepublishes;
                    case PublishGuard.RepublishesExhausted: return Republishes >= MaxRepublishes;
                    default: return true;
                }
            }
        }
    }
}
