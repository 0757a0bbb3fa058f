namespace StateMachineMqtt.Spec
{
    /// <summary>The reason codes a client's MQTT 5 DISCONNECT may carry (3.14.2.1, the codes marked "Client" or both).</summary>
    public static class DisconnectRules
    {
        /// <summary>0x00 Normal disconnection: the broker discards the will [MQTT-3.14.4-3].</summary>
        public const int Normal = 0x00;

        /// <summary>0x04 Disconnect with Will Message: the client disconnects but wants its will published.</summary>
        public const int WithWillMessage = 0x04;

        /// <summary>
        /// True when a client speaking <paramref name="version"/> may send DISCONNECT with <paramref name="code"/>: 0x00
        /// always (under 3.1.1 DISCONNECT has no reason code, and 0x00 is what it means), the others only under MQTT 5.
        /// </summary>
        public static bool MaySend(MqttProtocolVersion version, int code)
        {
            return code == Normal || (version == MqttProtocolVersion.V500 && IsClientReasonCode(code));
        }

        /// <summary>
        /// True for a code a client may send in DISCONNECT: 0x00, 0x04, and the errors 0x80–0x83, 0x90, 0x93–0x96, 0x98 and
        /// 0x99. The others in the table (0x8B Server shutting down, 0x9C Use another server…) are the server's alone.
        /// </summary>
        public static bool IsClientReasonCode(int code)
        {
            switch (code)
            {
                case 0x00:
                case 0x04:
                case 0x80:
                case 0x81:
                case 0x82:
                case 0x83:
                case 0x90:
                case 0x93:
                case 0x94:
                case 0x95:
                case 0x96:
                case 0x98:
                case 0x99:
                    return true;
                default:
                    return false;
            }
        }
    }
}
