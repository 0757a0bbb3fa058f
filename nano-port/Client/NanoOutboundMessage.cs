using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Client
{
    /// <summary>One held QoS 1 PUBLISH: its Publish-machine state lives here, one interpreter serves all messages.</summary>
    internal sealed class NanoOutboundMessage
    {
        public NanoOutboundMessage(string topic, byte[] payload, bool retain, int packetId)
        {
            Topic = topic;
            Payload = payload;
            Retain = retain;
            PacketId = packetId;
            State = PublishTable.Initial;
        }

        public string Topic { get; }

        public byte[] Payload { get; }

        public bool Retain { get; }

        public int PacketId { get; }

        public PublishState State { get; set; }

        /// <summary>DUP re-sends after a response timeout on the current link.</summary>
        public int Republishes { get; set; }

        /// <summary>When PUBACK is overdue (valid in AwaitingPubAck).</summary>
        public long DeadlineMilliseconds { get; set; }
    }
}
