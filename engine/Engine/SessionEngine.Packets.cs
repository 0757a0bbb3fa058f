using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Engine
{
    /// <summary>Packets from the broker, one handler per type; the inbound dispatch table decides what each means where.</summary>
    public sealed partial class SessionEngine
    {
        /// <summary>A CONNACK arrived on <paramref name="link"/> (MQTT 3.1.1, or MQTT 5 with no terms in its properties).</summary>
        public void HandleConnAck(int link, bool sessionPresent, int returnCode, long now)
        {
            HandleConnAck(link, sessionPresent, returnCode, new ConnAckTerms(), now);
        }

        /// <summary>
        /// An MQTT 5 CONNACK arrived on <paramref name="link"/> with the broker's <paramref name="terms"/>: its Receive
        /// Maximum clamps the in-flight window [MQTT-4.9.0-2], its Server Keep Alive replaces the keepalive [MQTT-3.2.2-21],
        /// no PUBLISH larger than its Maximum Packet Size goes on the link [MQTT-3.2.2-15] (<see cref="OutboundPacketLimit"/>),
        /// and an Assigned Client Identifier is used by every later CONNECT of a client configured without one
        /// (<see cref="ClientIdentifier"/>). The terms hold only if the CONNACK accepts the client.
        /// </summary>
        public void HandleConnAck(int link, bool sessionPresent, int returnCode, ConnAckTerms terms, long now)
        {
            if (Arrive(link, PacketKind.ConnAck, now) == InboundAction.ConnAck)
            {
                if (returnCode != 0 && terms.ServerReference != null)
                {
                    // Kept for the attempt after this refusal (CloseAndBackoff), like a DISCONNECT's.
                    _serverReference = terms.ServerReference;
                    _referenceToFollow = ServerRotationRules.ReferenceToFollow(Options.FollowServerReference, terms.ServerReference);
                }

                if (returnCode == 0)
                {
                    if (!AcceptAuthentication(terms.AuthenticationMethod))
                    {
                        return;
                    }

                    if (terms.AssignedClientIdentifier != null)
                    {
                        _assignedClientIdentifier = terms.AssignedClientIdentifier;
                    }

                    _responseInformation = terms.ResponseInformation;
                    _brokerMaximumPacketSize = terms.MaximumPacketSize;
                    _window = FlowRules.Window(Options.MaxInflight, terms.ReceiveMaximum);
                    _keepAliveMs = KeepAliveRules.KeepAliveInForceMs(Options.KeepAliveMs, terms.ServerKeepAliveSeconds);
                    _pingIntervalMs = KeepAliveRules.PingIntervalInForceMs(_keepAliveMs, Options.PingIntervalMs);
                }

                OnConnAck(sessionPresent, returnCode);
            }
        }

        /// <summary>A PUBLISH arrived on <paramref name="link"/>.</summary>
        public void HandlePublish(int link, string topic, byte[] payload, int qos, bool retain, bool dup, int packetId, long now)
        {
            HandlePublish(link, topic, payload, qos, retain, dup, packetId, null, now);
        }

        /// <summary>A PUBLISH arrived with the driver's decoded MQTT 5 <paramref name="properties"/>, carried to the application as they are.</summary>
        public void HandlePublish(int link, string topic, byte[] payload, int qos, bool retain, bool dup, int packetId, object properties, long now)
        {
            if (Arrive(link, PacketKind.Publish, now) == InboundAction.Publish)
            {
                OnInboundPublish(new InboundMessage(topic, payload, qos, retain, dup, packetId, properties));
            }
        }

        /// <summary>
        /// A PUBLISH over the driver's maximum packet size (<paramref name="limit"/> bytes) arrived whole on
        /// <paramref name="link"/>: the driver decoded its header (topic, QoS, packet identifier) and discarded the rest of
        /// its body as it came, never buffering it; <paramref name="size"/> is the whole packet's size in bytes. It goes
        /// through the same dispatch as <c>HandlePublish</c> (before CONNACK a violation, while disconnecting
        /// ignored). Connected, it is counted, reported (MessageTooLarge) and acknowledged as its QoS requires, in order of
        /// arrival, so the broker does not re-deliver it on every reconnect; it is never delivered.
        /// </summary>
        public void HandleOversizedPublish(int link, string topic, int qos, bool dup, int packetId, int size, int limit, long now)
        {
            if (Arrive(link, PacketKind.Publish, now) == InboundAction.Publish)
            {
                OnOversizedPublish(topic, qos, dup, packetId, size, limit);
            }
        }

        /// <summary>A PUBACK arrived on <paramref name="link"/> (MQTT 3.1.1, or MQTT 5 with reason code 0).</summary>
        public void HandlePubAck(int link, int packetId, long now)
        {
            HandlePubAck(link, packetId, 0, null, now);
        }

        /// <summary>
        /// An MQTT 5 PUBACK arrived on <paramref name="link"/> with <paramref name="reasonCode"/> and its optional reason
        /// string: 0x80 and up is a refusal (PubAckRefused), which fails the publish with the code [MQTT-2.4].
        /// </summary>
        public void HandlePubAck(int link, int packetId, int reasonCode, string reasonString, long now)
        {
            if (Arrive(link, PacketKind.PubAck, now) == InboundAction.PubAck)
            {
                OnPublishAnswer(PacketKind.PubAck, reasonCode >= 0x80 ? PublishTrigger.PubAckRefused : PublishTrigger.PubAck, packetId, reasonCode, reasonString);
            }
        }

        /// <summary>A PUBREC arrived on <paramref name="link"/> (MQTT 3.1.1, or MQTT 5 with reason code 0).</summary>
        public void HandlePubRec(int link, int packetId, long now)
        {
            HandlePubRec(link, packetId, 0, null, now);
        }

        /// <summary>
        /// An MQTT 5 PUBREC arrived on <paramref name="link"/> with <paramref name="reasonCode"/> and its optional reason
        /// string: 0x80 and up is a refusal (PubRecRefused), which ends the flow without PUBREL and fails the publish.
        /// </summary>
        public void HandlePubRec(int link, int packetId, int reasonCode, string reasonString, long now)
        {
            if (Arrive(link, PacketKind.PubRec, now) == InboundAction.PubRec)
            {
                OnPublishAnswer(PacketKind.PubRec, reasonCode >= 0x80 ? PublishTrigger.PubRecRefused : PublishTrigger.PubRec, packetId, reasonCode, reasonString);
            }
        }

        /// <summary>A PUBREL arrived on <paramref name="link"/>.</summary>
        public void HandlePubRel(int link, int packetId, long now)
        {
            if (Arrive(link, PacketKind.PubRel, now) == InboundAction.PubRel)
            {
                OnPubRel(packetId);
            }
        }

        /// <summary>A PUBCOMP arrived on <paramref name="link"/>.</summary>
        public void HandlePubComp(int link, int packetId, long now)
        {
            if (Arrive(link, PacketKind.PubComp, now) == InboundAction.PubComp)
            {
                OnPublishAnswer(PacketKind.PubComp, PublishTrigger.PubComp, packetId, 0, null);
            }
        }

        /// <summary>A SUBACK arrived on <paramref name="link"/>, with one return code per filter.</summary>
        public void HandleSubAck(int link, int packetId, byte[] returnCodes, long now)
        {
            if (Arrive(link, PacketKind.SubAck, now) == InboundAction.SubAck)
            {
                OnSubAck(packetId, returnCodes);
            }
        }

        /// <summary>An UNSUBACK arrived on <paramref name="link"/> (MQTT 3.1.1's carries no reason codes).</summary>
        public void HandleUnsubAck(int link, int packetId, long now)
        {
            HandleUnsubAck(link, packetId, null, null, now);
        }

        /// <summary>
        /// An MQTT 5 UNSUBACK arrived on <paramref name="link"/>, with one reason code per filter of its request
        /// [MQTT-3.11.3-1] (another count is a protocol violation) and its Reason String (null when absent). Every filter
        /// stops being restored, as with any UNSUBACK; each one refused (a code from 0x80) is reported as
        /// <see cref="EventKind.RequestFailed"/> with <see cref="FailureKind.UnsubscribeRefused"/>, its filter and code,
        /// the request's caller on the first such event; with none refused the request completes. Null codes: as 3.1.1.
        /// </summary>
        public void HandleUnsubAck(int link, int packetId, byte[] reasonCodes, string reasonString, long now)
        {
            if (Arrive(link, PacketKind.UnsubAck, now) == InboundAction.UnsubAck)
            {
                OnUnsubAck(packetId, reasonCodes, reasonString);
            }
        }

        /// <summary>A PINGRESP arrived on <paramref name="link"/>: like every packet, it proves the link alive.</summary>
        public void HandlePingResp(int link, long now)
        {
            Arrive(link, PacketKind.PingResp, now);
        }

        /// <summary>
        /// An MQTT 5 DISCONNECT from the broker arrived on <paramref name="link"/>, with its reason code, reason string and
        /// Server Reference (null when absent) [MQTT-3.14]. Where the dispatch table takes it, the link is lost for that
        /// reason: the LinkDown event carries the code (<see cref="EngineEvent.ReturnCode"/>), <see cref="ServerReference"/>
        /// the reference, and the client reconnects as after any loss. Under 3.1.1, or before CONNACK, it is a protocol violation.
        /// </summary>
        public void HandleServerDisconnect(int link, int reasonCode, string reasonString, string serverReference, long now)
        {
            if (Arrive(link, PacketKind.Disconnect, now) == InboundAction.ServerDisconnect)
            {
                _serverDisconnectCode = reasonCode;
                _serverReference = serverReference;
                _referenceToFollow = ServerRotationRules.ReferenceToFollow(Options.FollowServerReference, serverReference);
                string name = ReasonCodeName(reasonCode);
                FireConnection(ConnectionTrigger.LinkLost, "the broker sent DISCONNECT with reason code 0x" + reasonCode.ToString("X2")
                    + (name == null ? "" : " (" + name + ")") + (reasonString == null ? "" : ": " + reasonString)
                    + (serverReference == null ? "" : "; it names another server to use: " + serverReference), 0);
                _serverDisconnectCode = -1;
            }
        }

        /// <summary>
        /// The Client Identifier for the next CONNECT, by ConnectRules.ClientIdentifier: <paramref name="configured"/>, or the
        /// one an MQTT 5 broker assigned when <paramref name="configured"/> is empty.
        /// </summary>
        public string ClientIdentifier(string configured)
        {
            return ConnectRules.ClientIdentifier(configured, _assignedClientIdentifier);
        }

        /// <summary>
        /// The Server Reference (another server to use) of the MQTT 5 DISCONNECT that ended the last link, or null: kept
        /// until the next link comes up, so the driver can read it with that LinkDown event. It is followed only with EngineOptions.FollowServerReference (EngineAction.ServerReference).
        /// </summary>
        public string ServerReference
        {
            get { return _serverReference; }
        }

        /// <summary>The MQTT 5 name of a DISCONNECT reason code; the table is built only when one arrives (the device's heap is small).</summary>
        private static string ReasonCodeName(int code)
        {
            ReasonCodeRow row = ReasonCodeTable.Find(ReasonCodeTable.CreateRows(), code);
            return row == null || (row.Packets & PropertyContext.Disconnect) == 0 ? null : row.Name;
        }

        /// <summary>A packet type only clients send (CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ, DISCONNECT under 3.1.1) arrived: a protocol violation.</summary>
        public void HandleClientOnlyPacket(int link, PacketKind packet, long now)
        {
            Arrive(link, packet, now);
        }
    }
}
