using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Engine
{
    /// <summary>
    /// One inbound QoS 2 exchange, from its PUBLISH to its PUBREL: the state the Receipt machine runs on, held by packet
    /// identifier until PUBREL so a re-delivery is recognised (I9). It keeps the message only while the message waits in the
    /// application's queue, so a payload is not held until PUBREL once the application has it.
    /// </summary>
    internal sealed class InboundReceipt : IReceiptFlow
    {
        private readonly SessionEngine _engine;

        public InboundReceipt(int packetId, SessionEngine engine)
        {
            PacketId = packetId;
            _engine = engine;
            State = ReceiptTable.Initial;
        }

        /// <summary>The broker's packet identifier.</summary>
        public int PacketId { get; }

        /// <summary>The message (or a too-large message's placeholder) while it waits in the application's queue; else null.</summary>
        public InboundMessage Message;

        /// <summary>
        /// True once a link came up with a session in doubt while this exchange was held: the broker may have made a new
        /// session then and forgotten it. It stays so until the exchange ends, as nothing later tells the two sessions apart.
        /// </summary>
        internal bool KeptThroughDoubt;

        /// <summary>The <see cref="MessageDigest"/> of the exchange's topic.</summary>
        internal long TopicDigest;

        /// <summary>The <see cref="MessageDigest"/> of the exchange's payload, when <see cref="PayloadKnown"/>.</summary>
        internal long PayloadDigest;

        /// <summary>False for a too-large message, whose payload was read past unseen (and whose size may differ in a re-send that uses a topic alias).</summary>
        internal bool PayloadKnown;

        /// <summary>The PUBLISH the Publish trigger being fired brought: its DUP flag and digests, as in the fields above.</summary>
        internal bool ArrivingDup;

        /// <summary>See <see cref="ArrivingDup"/>.</summary>
        internal long ArrivingTopicDigest;

        /// <summary>See <see cref="ArrivingDup"/>.</summary>
        internal long ArrivingPayloadDigest;

        /// <summary>See <see cref="ArrivingDup"/>.</summary>
        internal bool ArrivingPayloadKnown;

        /// <inheritdoc />
        public ReceiptState State { get; set; }

        /// <summary>
        /// True when the arriving PUBLISH cannot be this exchange's message again: other content, or a first send (DUP = 0)
        /// while the broker may have made a new session since the exchange began.
        /// </summary>
        private bool IsNewMessage()
        {
            bool otherContent = ArrivingTopicDigest != TopicDigest || (ArrivingPayloadKnown && PayloadKnown && ArrivingPayloadDigest != PayloadDigest);
            return otherContent || (!ArrivingDup && KeptThroughDoubt);
        }

        /// <inheritdoc />
        public bool Holds(ReceiptGuard guard)
        {
            switch (guard)
            {
                case ReceiptGuard.None:
                    return true;
                case ReceiptGuard.Redelivery:
                    return !IsNewMessage();
                case ReceiptGuard.NewMessage:
                    return IsNewMessage();
            }

            bool onItsLink = Message != null && _engine.MayAcknowledgeOn(Message.Link, PacketKind.PubRec);
            return guard == ReceiptGuard.OnItsLink ? onItsLink : !onItsLink;
        }
    }
}
