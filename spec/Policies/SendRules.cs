namespace StateMachineMqtt.Spec
{
    /// <summary>Which packets the client may put on the link in each Connection state (invariant I3).</summary>
    public static class SendRules
    {
        /// <summary>
        /// True when <paramref name="packet"/> may be sent in <paramref name="state"/>: only CONNECT before CONNACK
        /// [MQTT-3.1.0-1], and the AUTH answers of MQTT 5 enhanced authentication [MQTT-4.12.0-3]; anything a client sends once connected; only DISCONNECT itself while disconnecting, and nothing
        /// after it [MQTT-3.14.4-2]; nothing where there is no link.
        /// </summary>
        public static bool MaySend(ConnectionState state, PacketKind packet)
        {
            if (state == ConnectionState.AwaitingConnAck)
            {
                return packet == PacketKind.Connect || packet == PacketKind.Auth;
            }

            if (state == ConnectionState.Connected)
            {
                return packet != PacketKind.Connect && packet != PacketKind.ConnAck && packet != PacketKind.SubAck
                    && packet != PacketKind.UnsubAck && packet != PacketKind.PingResp;
            }

            return state == ConnectionState.Disconnecting && packet == PacketKind.Disconnect;
        }
    }
}
