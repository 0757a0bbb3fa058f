using System;
using StateMachineMqtt.Engine;
using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Client
{
    // MQTT 5, as mechanism only, as core's driver does it: the engine decides (reason codes, CONNACK terms, the broker's
    // DISCONNECT); this part encodes the v5 layouts, hands the engine what the v5 decoder read in its terms, and keeps
    // the link's Topic Aliases. A 3.1.1 client never enters it (its _v5 is null).
    public sealed partial class NanoMqttClient
    {
        private const int NoLocalBit = 0x04;
        private const int RetainAsPublishedBit = 0x08;
        private readonly NanoMqtt5Link _v5;

        /// <summary>
        /// MQTT 5: the reason code behind <see cref="LastError"/> — a refusing CONNACK, PUBACK, PUBREC, SUBACK or UNSUBACK, or
        /// the broker's DISCONNECT — or -1 when it had none (always -1 under 3.1.1).
        /// </summary>
        public int LastReasonCode
        {
            get { return _v5 == null ? -1 : _v5.LastReasonCode; }
        }

        /// <summary>
        /// MQTT 5: the Response Information of the last accepted CONNACK — the start of topics the broker sets aside for
        /// responses, given when <see cref="NanoMqttOptions.RequestResponseInformation"/> asked for it — or null (always
        /// null under 3.1.1).
        /// </summary>
        public string ResponseInformation
        {
            get { return _engine.ResponseInformation; }
        }

        /// <summary>
        /// MQTT 5: subscribes to <paramref name="filter"/> at QoS 0 or 1 with <paramref name="options"/> (No Local, Retain As
        /// Published, Retain Handling, a Subscription Identifier), kept and restored with the subscription. Null options
        /// subscribe as <see cref="Subscribe(string, int)"/> does; options under 3.1.1 throw ArgumentException.
        /// </summary>
        public void Subscribe(string filter, int qos, NanoSubscriptionOptions options)
        {
            if (options == null)
            {
                Subscribe(filter, qos);
                return;
            }

            EnsureNotDisposed();
            CheckSubscribe(filter, qos);
            if (_v5 == null)
            {
                throw new ArgumentException("Subscription options need MQTT 5, and this client speaks MQTT 3.1.1. Set NanoMqttOptions.ProtocolVersion = MqttProtocolVersion.V500, or subscribe without options.");
            }

            if (options.RetainHandling < 0 || options.RetainHandling > 2)
            {
                throw new ArgumentException("RetainHandling is 0 (send retained messages at subscribe), 1 (only if the subscription is new) or 2 (never), not " + options.RetainHandling.ToString() + " [MQTT-3.8.3-5].");
            }

            if (options.SubscriptionIdentifier < 0 || options.SubscriptionIdentifier > NanoSubscriptionOptions.MaximumSubscriptionIdentifier)
            {
                throw new ArgumentException("SubscriptionIdentifier is " + options.SubscriptionIdentifier.ToString() + "; MQTT 5 allows 1 to 268,435,455 [MQTT-3.8.2.1.2], or 0 for none.");
            }

            if (options.NoLocal && filter.Length >= 7 && filter.Substring(0, 7) == "$share/")
            {
                throw new ArgumentException("No Local cannot be set on the shared subscription \"" + filter + "\" [MQTT-3.8.3-4]: leave NoLocal false.");
            }

            int bits = (options.NoLocal ? NoLocalBit : 0) | (options.RetainAsPublished ? RetainAsPublishedBit : 0) | (options.RetainHandling << 4);
            long now = _clock.NowMilliseconds;
            _engine.Request(SubscriptionRequest.Subscribe(new string[] { filter }, new int[] { qos }, bits == 0 ? null : new int[] { bits }, options.SubscriptionIdentifier, null), now);
            Pump(now);
        }

        /// <summary>The bytes an MQTT 5 PUBLISH's property section takes (at least its length byte); ArgumentException for what a client may not send.</summary>
        private static int PublishPropertiesSize(NanoProperties properties)
        {
            if (properties != null && properties.SubscriptionIdentifiers != null)
            {
                throw new ArgumentException("The properties carry Subscription Identifiers, which only a broker sends [MQTT-3.3.4-6]. Leave SubscriptionIdentifiers null when publishing.");
            }

            if (properties != null && properties.TopicAlias != 0)
            {
                throw new ArgumentException("The properties set a Topic Alias; the client sets aliases itself (NanoMqttOptions.OutboundTopicAliases). Leave TopicAlias 0.");
            }

            return NanoPropertyWriter.SectionSize(NanoPropertyWriter.Measure(properties, PropertyContext.Publish, "PUBLISH", 0));
        }

        /// <summary>The engine's packet in its MQTT 5 layout; -2 for the packets whose bytes are 3.1.1's.</summary>
        private int Encode5(EngineAction action, byte[] buffer, int at)
        {
            switch (action.Packet)
            {
                case PacketKind.Connect:
                    return NanoPacketWriter.WriteConnect5(buffer, at, _options.Connect, _engine.ClientIdentifier(_options.Connect.ClientId), action.CleanSession, _v5.ConnectProperties);
                case PacketKind.Publish:
                    return EncodePublish5(action, buffer, at);
                case PacketKind.Subscribe:
                    SubscriptionRequest request = action.Request;
                    NanoProperties identifier = null;
                    if (request.Identifier != 0)
                    {
                        identifier = new NanoProperties();
                        identifier.SubscriptionIdentifiers = new int[] { request.Identifier };
                    }

                    return NanoPacketWriter.WriteSubscribe5(buffer, at, action.PacketId, request.Filters, request.Qos, request.Options, identifier);
                case PacketKind.Unsubscribe:
                    return NanoPacketWriter.WriteUnsubscribe5(buffer, at, action.PacketId, action.Request.Filters, null);
                default:
                    return -2;
            }
        }

        /// <summary>
        /// A PUBLISH with its topic's alias when the link has one for it (or one free to set), and when the aliased packet
        /// still fits the engine's limit (setting an alias adds bytes, and a short topic saves fewer than the alias takes);
        /// else as it is. The alias counts as set once its PUBLISH is in the send buffer, which the broker reads in order.
        /// </summary>
        private int EncodePublish5(EngineAction action, byte[] buffer, int at)
        {
            OutboundMessage m = action.Message;
            NanoProperties properties = (NanoProperties)m.Properties;
            int packetId = m.Qos > 0 ? m.PacketId : 0;
            NanoTopicAliases aliases = _v5.Aliases;
            if (aliases != null)
            {
                bool isNew;
                int alias = aliases.Outbound(m.Topic, out isNew);
                if (alias > 0)
                {
                    int aliased = NanoPacketWriter.WritePublish5(buffer, at, isNew ? m.Topic : "", m.Payload, m.Qos, m.Retain, action.Dup, packetId, properties, alias);
                    if (aliased > 0 && aliased <= _engine.OutboundPacketLimit)
                    {
                        if (isNew)
                        {
                            aliases.Set(m.Topic, alias);
                        }

                        return aliased;
                    }
                }
            }

            return NanoPacketWriter.WritePublish5(buffer, at, m.Topic, m.Payload, m.Qos, m.Retain, action.Dup, packetId, properties, 0);
        }

        /// <summary>One decoded MQTT 5 packet to the engine, as core's driver hands it: reason codes, reason strings, CONNACK terms.</summary>
        private void Dispatch5(int link, NanoPacket p, NanoProperties properties, long now)
        {
            switch (p.Type)
            {
                case NanoPacketType.ConnAck:
                    if (_v5.Aliases != null && p.ReturnCode == 0)
                    {
                        _v5.Aliases.OnConnAck(properties == null ? -1 : properties.TopicAliasMaximum);
                    }

                    _engine.HandleConnAck(link, p.SessionPresent, p.ReturnCode, Terms(properties), now);
                    break;
                case NanoPacketType.Publish: _engine.HandlePublish(link, p.Topic, p.Payload, p.Qos, p.Retain, p.Dup, p.PacketId, properties, now); break;
                case NanoPacketType.PubAck: _engine.HandlePubAck(link, p.PacketId, p.ReturnCode, ReasonString(properties), now); break;
                case NanoPacketType.PubRec: _engine.HandlePubRec(link, p.PacketId, p.ReturnCode, ReasonString(properties), now); break;
                case NanoPacketType.PubRel: _engine.HandlePubRel(link, p.PacketId, now); break;
                case NanoPacketType.PubComp: _engine.HandlePubComp(link, p.PacketId, now); break;
                case NanoPacketType.SubAck: _engine.HandleSubAck(link, p.PacketId, p.ReturnCodes, now); break;
                case NanoPacketType.UnsubAck: _engine.HandleUnsubAck(link, p.PacketId, p.ReturnCodes, ReasonString(properties), now); break;
                case NanoPacketType.PingResp: _engine.HandlePingResp(link, now); break;
                case NanoPacketType.Disconnect: _engine.HandleServerDisconnect(link, p.ReturnCode, ReasonString(properties), properties == null ? null : properties.ServerReference, now); break;
                default: _engine.HandleClientOnlyPacket(link, (PacketKind)(int)p.Type, now); break;
            }
        }

        /// <summary>
        /// MQTT 5: a refused SUBSCRIBE or UNSUBSCRIBE, the engine's words with the code's name from spec/'s ReasonCodeTable,
        /// to <see cref="LastError"/> and the application's <see cref="INanoMqtt5Events"/> callback.
        /// </summary>
        private void RaiseRequestRefused5(EngineEvent e)
        {
            bool subscribe = e.Failure == FailureKind.SubscriptionRefused;
            string name = Mqtt5Tables.ReasonName(e.ReturnCode, subscribe ? PropertyContext.SubAck : PropertyContext.UnsubAck);
            LastError = name == null ? e.Reason : e.Reason + "; 0x" + e.ReturnCode.ToString("X2") + " means " + name;
            if (_v5.Events == null)
            {
                return;
            }

            if (subscribe)
            {
                _v5.Events.SubscribeFailed(e.Filter, e.ReturnCode, LastError);
            }
            else
            {
                _v5.Events.UnsubscribeFailed(e.Filter, e.ReturnCode, LastError);
            }
        }

        private static string ReasonString(NanoProperties properties)
        {
            return properties == null ? null : properties.ReasonString;
        }

        /// <summary>The session terms of a CONNACK's properties, in the engine's terms (absent: none).</summary>
        private static ConnAckTerms Terms(NanoProperties properties)
        {
            ConnAckTerms terms = new ConnAckTerms();
            if (properties != null)
            {
                terms.ReceiveMaximum = properties.ReceiveMaximum < 0 ? 0 : properties.ReceiveMaximum;
                terms.ServerKeepAliveSeconds = properties.ServerKeepAlive;
                terms.MaximumPacketSize = properties.MaximumPacketSize < 0 ? 0 : properties.MaximumPacketSize;
                terms.AssignedClientIdentifier = properties.AssignedClientIdentifier;
                terms.ResponseInformation = properties.ResponseInformation;
            }

            return terms;
        }

        /// <summary>What to fix, in words, for a CONNACK that refused an MQTT 5 connect for good.</summary>
        private static string RefusalReason5(int code)
        {
            string name = Mqtt5Tables.ReasonName(code, PropertyContext.ConnAck);
            string head = "CONNACK 0x" + code.ToString("X2") + (name == null ? "" : " (" + name + ")") + ": ";
            switch (code)
            {
                case 0x84: return head + "the broker does not take MQTT 5. Set NanoMqttOptions.ProtocolVersion = MqttProtocolVersion.V311, or use a broker that speaks MQTT 5.";
                case 0x85: return head + "the broker rejected the client identifier. Set another NanoConnectOptions.ClientId.";
                case 0x86: return head + "check NanoConnectOptions.UserName and Password.";
                case 0x87: return head + "check the broker's access rules for this client and user.";
                case 0x8A: return head + "the broker has banned this client; ask its operator.";
                case 0x95: return head + "the CONNECT is larger than the broker takes. Shorten the will, the credentials or the client identifier.";
                case 0x9A: return head + "the broker keeps no retained messages. Clear NanoConnectOptions.WillRetain.";
                case 0x9B: return head + "the broker does not take the will's QoS. Lower NanoConnectOptions.WillQos.";
                default: return head + "the broker refused the connection.";
            }
        }
    }
}
