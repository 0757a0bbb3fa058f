namespace StateMachineMqtt.Engine
{
    /// <summary>
    /// A growable ring of <see cref="EngineEvent"/> values; see ActionQueue for why it is its own type.
    /// </summary>
    internal sealed class EventQueue
    {
        // Small to start, as ActionQueue: a burst grows the ring once.
        private EngineEvent[] _items = new EngineEvent[4];
        private int _head;
        private int _count;

        /// <summary>How many are queued.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>Appends <paramref name="item"/>.</summary>
        public void Enqueue(EngineEvent item)
        {
            if (_count == _items.Length)
            {
                EngineEvent[] grown = new EngineEvent[_items.Length * 2];
                for (int i = 0; i < _count; i++)
                {
                    grown[i] = _items[(_head + i) % _items.Length];
                }

                _items = grown;
                _head = 0;
            }

            _items[(_head + _count) % _items.Length] = item;
            _count++;
        }

        /// <summary>Takes the oldest; false when empty.</summary>
        public bool TryDequeue(out EngineEvent item)
        {
            if (_count == 0)
            {
                item = default(EngineEvent);
                return false;
            }

            item = _items[_head];
            _items[_head] = default(EngineEvent);
            _head = (_head + 1) % _items.Length;
            _count--;
            return true;
        }
    }
}
