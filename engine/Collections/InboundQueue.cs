namespace StateMachineMqtt.Engine
{
    /// <summary>
    /// The received messages the application has not taken yet, oldest first: a growable ring (see ActionQueue for why
    /// it is its own type), with the count of QoS 0 messages the receive policy needs. The engine pauses reading at its
    /// bound, so it grows past it only by what a driver had already decoded.
    /// </summary>
    internal sealed class InboundQueue
    {
        private InboundMessage[] _items = new InboundMessage[16];
        private int _head;
        private int _count;

        /// <summary>How many are queued.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>How many of them are QoS 0.</summary>
        public int Qos0Count;

        /// <summary>Appends <paramref name="message"/>.</summary>
        public void Enqueue(InboundMessage message)
        {
            if (_count == _items.Length)
            {
                InboundMessage[] grown = new InboundMessage[_items.Length * 2];
                for (int i = 0; i < _count; i++)
                {
                    grown[i] = _items[(_head + i) % _items.Length];
                }

                _items = grown;
                _head = 0;
            }

            _items[(_head + _count) % _items.Length] = message;
            _count++;
            if (message.Qos == 0)
            {
                Qos0Count++;
            }
        }

        /// <summary>The <paramref name="index"/>-th oldest (0 is the oldest); the index must be below <see cref="Count"/>.</summary>
        public InboundMessage At(int index)
        {
            return _items[(_head + index) % _items.Length];
        }

        /// <summary>The oldest, or null.</summary>
        public InboundMessage Peek()
        {
            return _count == 0 ? null : _items[_head];
        }

        /// <summary>Takes the oldest, or null.</summary>
        public InboundMessage Dequeue()
        {
            if (_count == 0)
            {
                return null;
            }

            InboundMessage message = _items[_head];
            _items[_head] = null;
            _head = (_head + 1) % _items.Length;
            _count--;
            if (message.Qos == 0)
            {
                Qos0Count--;
            }

            return message;
        }

        /// <summary>Removes the oldest QoS 0 message (there must be one), keeping the order of the rest.</summary>
        public void RemoveOldestQos0()
        {
            int found = -1;
            for (int i = 0; i < _count; i++)
            {
                if (_items[(_head + i) % _items.Length].Qos == 0)
                {
                    found = i;
                    break;
                }
            }

            for (int i = found; i > 0; i--)
            {
                _items[(_head + i) % _items.Length] = _items[(_head + i - 1) % _items.Length];
            }

            _items[_head] = null;
            _head = (_head + 1) % _items.Length;
            _count--;
            Qos0Count--;
        }
    }
}
