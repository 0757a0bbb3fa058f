using S = StateMachineMqtt.Spec.ConnectionState;
using P = StateMachineMqtt.Spec.PacketKind;
using A = StateMachineMqtt.Spec.InboundAction;

namespace StateMachineMqtt.Spec
{
    /// <summary>
    /// What a packet from the broker means in each Connection state with a link (AwaitingConnAck, Connected, Disconnecting).
    /// In the other states there is no link, so nothing arrives; a late packet from a closed link is ignored. A packet type
    /// only a client sends (CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ, and under 3.1.1 DISCONNECT), or AUTH where no
    /// row takes it (under 3.1.1, where it is reserved), is a protocol violation wherever it comes. Under MQTT 5 the
    /// authentication table judges an AUTH, which a broker may not send a client that named no Authentication Method
    /// [MQTT-4.12.0-6]. Rows marked MQTT 5 hold on MQTT 5 links only: there a broker may close the
    /// link with DISCONNECT.
    /// </summary>
    public static class InboundDispatchTable
    {
        /// <summary>Returns a fresh copy of the rows.</summary>
        public static InboundDispatchRow[] CreateRows()
        {
            return new InboundDispatchRow[]
            {
                // AwaitingConnAck: CONNACK and nothing else.
                R(S.AwaitingConnAck, P.ConnAck, A.ConnAck, "[MQTT-3.2.0-1] the first packet from the server is CONNACK"),
                R(S.AwaitingConnAck, P.Publish, A.ProtocolViolation, "[MQTT-3.2.0-1] nothing may come before CONNACK"),
                R(S.AwaitingConnAck, P.PubAck, A.ProtocolViolation, "[MQTT-3.2.0-1] nothing may come before CONNACK"),
                R(S.AwaitingConnAck, P.PubRec, A.ProtocolViolation, "[MQTT-3.2.0-1] nothing may come before CONNACK"),
                R(S.AwaitingConnAck, P.PubRel, A.ProtocolViolation, "[MQTT-3.2.0-1] nothing may come before CONNACK"),
                R(S.AwaitingConnAck, P.PubComp, A.ProtocolViolation, "[MQTT-3.2.0-1] nothing may come before CONNACK"),
                R(S.AwaitingConnAck, P.SubAck, A.ProtocolViolation, "[MQTT-3.2.0-1] nothing may come before CONNACK"),
                R(S.AwaitingConnAck, P.UnsubAck, A.ProtocolViolation, "[MQTT-3.2.0-1] nothing may come before CONNACK"),
                R(S.AwaitingConnAck, P.PingResp, A.ProtocolViolation, "[MQTT-3.2.0-1] nothing may come before CONNACK"),
                R5(S.AwaitingConnAck, P.Auth, A.Auth, "[MQTT-4.12.0-2] MQTT 5: the broker may challenge a CONNECT that named an Authentication Method; the authentication table judges it"),

                // Connected: everything a server sends, once CONNACK is behind us.
                R(S.Connected, P.ConnAck, A.ProtocolViolation, "[MQTT-3.2.0-1] CONNACK comes once, first"),
                R(S.Connected, P.Publish, A.Publish, "[MQTT-4.3] deliver, and acknowledge by QoS once the application has it"),
                R(S.Connected, P.PubAck, A.PubAck, "[MQTT-4.3.2-1] PUBACK ends an outbound QoS 1 flow"),
                R(S.Connected, P.PubRec, A.PubRec, "[MQTT-4.3.3-1] PUBREC answers an outbound QoS 2 PUBLISH"),
                R(S.Connected, P.PubRel, A.PubRel, "[MQTT-4.3.3-2] PUBREL releases an inbound QoS 2 message: answer PUBCOMP"),
                R(S.Connected, P.PubComp, A.PubComp, "[MQTT-4.3.3-1] PUBCOMP ends an outbound QoS 2 flow"),
                R(S.Connected, P.SubAck, A.SubAck, "[MQTT-3.8.4-1] SUBACK answers a SUBSCRIBE"),
                R(S.Connected, P.UnsubAck, A.UnsubAck, "[MQTT-3.10.4-4] UNSUBACK answers an UNSUBSCRIBE"),
                R(S.Connected, P.PingResp, A.PingResp, "[MQTT-3.12.4-1] the answer to PINGREQ; any packet proves the link"),
                R5(S.Connected, P.Auth, A.Auth, "[MQTT-4.12.1-1] MQTT 5: the broker's part of a re-authentication; the authentication table judges it"),
                R5(S.Connected, P.Disconnect, A.ServerDisconnect, "[MQTT-3.14.0-1] MQTT 5: the broker ends the link with a reason code, after CONNACK; treat it as a lost link and tell why"),

                // Disconnecting: DISCONNECT is on its way, and nothing may follow it [MQTT-3.14.4-2]. Packets that need no
                // reply are still taken; those that need one are dropped, and the broker re-sends them in the next session.
                R(S.Disconnecting, P.ConnAck, A.ProtocolViolation, "[MQTT-3.2.0-1] CONNACK comes once, first"),
                R(S.Disconnecting, P.Publish, A.Ignore, "[MQTT-3.14.4-2] its acknowledgement could not be sent; QoS >= 1 is re-sent next session"),
                R(S.Disconnecting, P.PubAck, A.PubAck, "[MQTT-4.3.2-1] still ends the flow: nothing to send"),
                R(S.Disconnecting, P.PubRec, A.Ignore, "[MQTT-3.14.4-2] PUBREL could not be sent"),
                R(S.Disconnecting, P.PubRel, A.Ignore, "[MQTT-3.14.4-2] PUBCOMP could not be sent; the receipt stays held for the next session"),
                R(S.Disconnecting, P.PubComp, A.PubComp, "[MQTT-4.3.3-1] still ends the flow: nothing to send"),
                R(S.Disconnecting, P.SubAck, A.SubAck, "[MQTT-3.8.4-1] still answers the request: nothing to send"),
                R(S.Disconnecting, P.UnsubAck, A.UnsubAck, "[MQTT-3.10.4-4] still answers the request: nothing to send"),
                R(S.Disconnecting, P.PingResp, A.PingResp, "Nothing to do"),
                R5(S.Disconnecting, P.Auth, A.Ignore, "[MQTT-3.14.4-2] nothing may follow DISCONNECT, so a re-authentication cannot go on"),
                R5(S.Disconnecting, P.Disconnect, A.ServerDisconnect, "[MQTT-3.14.0-1] MQTT 5: the broker ends the link first; the disconnect ends with it"),
            };
        }

        /// <summary>
        /// The action for <paramref name="packet"/> arriving in <paramref name="state"/>: the row's, a protocol violation for a
        /// packet type only clients send, or Ignore in a state without a link (a stale packet from a closed link).
        /// </summary>
        public static InboundAction Dispatch(InboundDispatchRow[] rows, ConnectionState state, PacketKind packet)
        {
            return Dispatch(rows, state, packet, MqttProtocolVersion.V311);
        }

        /// <summary>The action for <paramref name="packet"/> in <paramref name="state"/> on a link of <paramref name="version"/>.</summary>
        public static InboundAction Dispatch(InboundDispatchRow[] rows, ConnectionState state, PacketKind packet, MqttProtocolVersion version)
        {
            for (int i = 0; i < rows.Length; i++)
            {
                if (rows[i].State == state && rows[i].Packet == packet && (!rows[i].Mqtt5Only || version == MqttProtocolVersion.V500))
                {
                    return rows[i].Action;
                }
            }

            return (IsClientOnly(packet) || packet == PacketKind.Auth) && HasLink(state) ? InboundAction.ProtocolViolation : InboundAction.Ignore;
        }

        /// <summary>
        /// The rule behind <see cref="Dispatch(InboundDispatchRow[], ConnectionState, PacketKind, MqttProtocolVersion)"/>'s
        /// answer, as a reason can quote it: the row's rule, or the one for a packet type only clients send, or for AUTH
        /// where no row takes it.
        /// </summary>
        public static string RuleFor(InboundDispatchRow[] rows, ConnectionState state, PacketKind packet, MqttProtocolVersion version)
        {
            for (int i = 0; i < rows.Length; i++)
            {
                if (rows[i].State == state && rows[i].Packet == packet && (!rows[i].Mqtt5Only || version == MqttProtocolVersion.V500))
                {
                    return rows[i].Rule;
                }
            }

            if (IsClientOnly(packet))
            {
                return "[MQTT-2.2.1] only a client sends " + PacketKindNames.Of(packet);
            }

            if (packet == PacketKind.Auth)
            {
                return version == MqttProtocolVersion.V500 ? "[MQTT-4.12.0-6] AUTH is not expected here" : "[MQTT-2.2.1] AUTH is reserved in MQTT 3.1.1";
            }

            return HasLink(state) ? "no rule takes it" : "there is no link for it to arrive on";
        }

        /// <summary>True for the packet types only a client may send (section 2.2.1).</summary>
        public static bool IsClientOnly(PacketKind packet)
        {
            return packet == PacketKind.Connect || packet == PacketKind.Subscribe || packet == PacketKind.Unsubscribe
                || packet == PacketKind.PingReq || packet == PacketKind.Disconnect;
        }

        /// <summary>True in the states that have a link packets can arrive on.</summary>
        public static bool HasLink(ConnectionState state)
        {
            return state == ConnectionState.AwaitingConnAck || state == ConnectionState.Connected || state == ConnectionState.Disconnecting;
        }

        private static InboundDispatchRow R(S state, P packet, A action, string rule)
        {
            return new InboundDispatchRow(state, packet, action, rule);
        }

        private static InboundDispatchRow R5(S state, P packet, A action, string rule)
        {
            return new InboundDispatchRow(state, packet, action, true, rule);
        }
    }
}
