namespace StateMachineMqtt.Engine
{
    /// <summary>
    /// A growable ring of <see cref="EngineAction"/> values. nano has no generics, so each ring the engine needs is its own
    /// small type (ActionQueue, EventQueue, InboundQueue); EngineCollectionsTests keeps their behaviour in step.
    /// </summary>
    internal sealed class ActionQueue
    {
        // Small to start: a device pays for every slot (an action is 72 bytes), and connecting and subscribing never queue
        // more than four at once (ClientHeapMeasurement); a burst, such as re-sends on a new link, grows the ring once.
        private EngineAction[] _items = new EngineAction[4];
        private int _head;
        private int _count;

        /// <summary>How many are queued.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>Appends <paramref name="item"/>.</summary>
        public void Enqueue(EngineAction item)
        {
            if (_count == _items.Length)
            {
                EngineAction[] grown = new EngineAction[_items.Length * 2];
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
        public bool TryDequeue(out EngineAction item)
        {
            if (_count == 0)
            {
                item = default(EngineAction);
                return false;
            }

            item = _items[_head];
            _items[_head] = default(EngineAction);
            _head = (_head + 1) % _items.Length;
            _count--;
            return true;
        }
    }
}
