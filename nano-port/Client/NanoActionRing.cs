using StateMachineMqtt.Engine;

namespace StateMachineMqtt.Nano.Client
{
    /// <summary>
    /// A growable ring of the engine's actions, each with a mark (nano has no generics): the sends not yet encoded into the
    /// send buffer, and the encoded ones waiting to be told written. It grows only past its steady-state size, so a poll
    /// with ordinary traffic allocates nothing.
    /// </summary>
    internal sealed class NanoActionRing
    {
        private EngineAction[] _items;
        private long[] _marks;
        private int _head;
        private int _count;

        public NanoActionRing(int capacity)
        {
            _items = new EngineAction[capacity];
            _marks = new long[capacity];
        }

        /// <summary>How many are queued.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>The oldest one's mark (the queue must not be empty).</summary>
        public long PeekMark()
        {
            return _marks[_head];
        }

        /// <summary>The oldest one (the queue must not be empty).</summary>
        public EngineAction Peek()
        {
            return _items[_head];
        }

        /// <summary>Appends <paramref name="action"/> with <paramref name="mark"/>.</summary>
        public void Enqueue(EngineAction action, long mark)
        {
            if (_count == _items.Length)
            {
                EngineAction[] items = new EngineAction[_items.Length * 2];
                long[] marks = new long[_items.Length * 2];
                for (int i = 0; i < _count; i++)
                {
                    items[i] = _items[(_head + i) % _items.Length];
                    marks[i] = _marks[(_head + i) % _items.Length];
                }

                _items = items;
                _marks = marks;
                _head = 0;
            }

            int at = (_head + _count) % _items.Length;
            _items[at] = action;
            _marks[at] = mark;
            _count++;
        }

        /// <summary>Takes the oldest (the queue must not be empty).</summary>
        public EngineAction Dequeue()
        {
            EngineAction action = _items[_head];
            _items[_head] = default(EngineAction);
            _head = (_head + 1) % _items.Length;
            _count--;
            return action;
        }

        /// <summary>Forgets everything (the link closed).</summary>
        public void Clear()
        {
            while (_count > 0)
            {
                Dequeue();
            }

            _head = 0;
        }
    }
}
