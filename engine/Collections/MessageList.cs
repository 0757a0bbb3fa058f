namespace StateMachineMqtt.Engine
{
    /// <summary>
    /// The held outbound messages in acceptance order: an intrusive doubly-linked list (no allocation per message beyond
    /// the message), with the counts the outbound queue's bound and policy need.
    /// </summary>
    internal sealed class MessageList
    {
        /// <summary>The oldest held message.</summary>
        public OutboundMessage First;

        /// <summary>The newest held message.</summary>
        public OutboundMessage Last;

        /// <summary>How many messages are held.</summary>
        public int Count;

        /// <summary>Their payload bytes.</summary>
        public long Bytes;

        /// <summary>How many of them are QoS 0.</summary>
        public int Qos0Count;

        /// <summary>Appends <paramref name="message"/>.</summary>
        public void AddLast(OutboundMessage message)
        {
            message.Previous = Last;
            message.Next = null;
            if (Last == null)
            {
                First = message;
            }
            else
            {
                Last.Next = message;
            }

            Last = message;
            message.Held = true;
            Count++;
            Bytes += message.Payload.Length;
            if (message.Qos == 0)
            {
                Qos0Count++;
            }
        }

        /// <summary>Unlinks <paramref name="message"/>, which must be held.</summary>
        public void Remove(OutboundMessage message)
        {
            if (message.Previous == null)
            {
                First = message.Next;
            }
            else
            {
                message.Previous.Next = message.Next;
            }

            if (message.Next == null)
            {
                Last = message.Previous;
            }
            else
            {
                message.Next.Previous = message.Previous;
            }

            message.Previous = null;
            message.Next = null;
            message.Held = false;
            Count--;
            Bytes -= message.Payload.Length;
            if (message.Qos == 0)
            {
                Qos0Count--;
            }
        }

        /// <summary>The oldest QoS 0 message, or null.</summary>
        public OutboundMessage OldestQos0()
        {
            for (OutboundMessage m = First; m != null; m = m.Next)
            {
                if (m.Qos == 0)
                {
                    return m;
                }
            }

            return null;
        }
    }
}
