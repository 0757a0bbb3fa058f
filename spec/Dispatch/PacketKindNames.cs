namespace StateMachineMqtt.Spec
{
    /// <summary>The specification's name of each packet type (CONNACK, SUBSCRIBE...), for reasons and logs.</summary>
    public static class PacketKindNames
    {
        /// <summary>The name of <paramref name="packet"/>, as the specification writes it; type 0, which is reserved, by that.</summary>
        public static string Of(PacketKind packet)
        {
            switch (packet)
            {
                case PacketKind.Connect: return "CONNECT";
                case PacketKind.ConnAck: return "CONNACK";
                case PacketKind.Publish: return "PUBLISH";
                case PacketKind.PubAck: return "PUBACK";
                case PacketKind.PubRec: return "PUBREC";
                case PacketKind.PubRel: return "PUBREL";
                case PacketKind.PubComp: return "PUBCOMP";
                case PacketKind.Subscribe: return "SUBSCRIBE";
                case PacketKind.SubAck: return "SUBACK";
                case PacketKind.Unsubscribe: return "UNSUBSCRIBE";
                case PacketKind.UnsubAck: return "UNSUBACK";
                case PacketKind.PingReq: return "PINGREQ";
                case PacketKind.PingResp: return "PINGRESP";
                case PacketKind.Disconnect: return "DISCONNECT";
                case PacketKind.Auth: return "AUTH";
                default: return "a packet of reserved type 0";
            }
        }
    }
}
