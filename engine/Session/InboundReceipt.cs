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

        /// <inheritdoc />
        public ReceiptState State { get; set; }

        /// <inheritdoc />
        public bool Holds(ReceiptGuard guard)
        {
            if (guard == ReceiptGuard.None)
            {
                return true;
            }

            bool onItsLink = Message != null && _engine.MayAcknowledgeOn(Message.Link, PacketKind.PubRec);
            return guard == ReceiptGuard.OnItsLink ? onItsLink : !onItsLink;
        }
    }
}
