namespace StateMachineMqtt.Engine
{
    /// <summary>
    /// Packet identifier → object, by open addressing with linear probing (nano's mscorlib has no Dictionary or Hashtable).
    /// Holds every identifier in use, so <see cref="TakeFreeId"/> can hand out one that is unique and non-zero (I2).
    /// Removal shifts the entries after a freed slot back (no tombstones), so taking and freeing identifiers at a steady
    /// count never fills the table: it grows only with the number in use, and a publish-to-PUBACK cycle allocates nothing.
    /// </summary>
    internal sealed class PacketIdMap
    {
        private int[] _keys = new int[32];
        private object[] _values = new object[32];
        private int _count;
        private int _next;

        /// <summary>How many identifiers are in use.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>The number of slots, for <see cref="ValueAt"/>.</summary>
        public int Capacity
        {
            get { return _keys.Length; }
        }

        /// <summary>The value in slot <paramref name="slot"/>, or null when the slot is empty.</summary>
        public object ValueAt(int slot)
        {
            return _values[slot];
        }

        /// <summary>The identifier in slot <paramref name="slot"/>; meaningful only where <see cref="ValueAt"/> is not null.</summary>
        public int KeyAt(int slot)
        {
            return _keys[slot];
        }

        /// <summary>The value held for <paramref name="id"/>, or null.</summary>
        public object Get(int id)
        {
            int slot = Find(id);
            return slot < 0 ? null : _values[slot];
        }

        /// <summary>Holds <paramref name="value"/> for <paramref name="id"/> (1..65535), replacing any value it had.</summary>
        public void Put(int id, object value)
        {
            int slot = Find(id);
            if (slot >= 0)
            {
                _values[slot] = value;
                return;
            }

            if ((_count + 1) * 2 > _keys.Length)
            {
                Grow();
            }

            int mask = _keys.Length - 1;
            int at = Hash(id) & mask;
            while (_values[at] != null)
            {
                at = (at + 1) & mask;
            }

            _keys[at] = id;
            _values[at] = value;
            _count++;
        }

        /// <summary>Forgets <paramref name="id"/>; true when it was held.</summary>
        public bool Remove(int id)
        {
            int slot = Find(id);
            if (slot < 0)
            {
                return false;
            }

            // Close the gap: each later entry of the run whose home is not after the hole moves into it (Knuth's
            // algorithm R), so every entry stays reachable from its home without a tombstone.
            int mask = _keys.Length - 1;
            int hole = slot;
            int at = (slot + 1) & mask;
            while (_values[at] != null)
            {
                int home = Hash(_keys[at]) & mask;
                if (((at - home) & mask) >= ((at - hole) & mask))
                {
                    _keys[hole] = _keys[at];
                    _values[hole] = _values[at];
                    hole = at;
                }

                at = (at + 1) & mask;
            }

            _keys[hole] = 0;
            _values[hole] = null;
            _count--;
            return true;
        }

        /// <summary>
        /// The next identifier after the last one taken that is not in use, wrapping from 65,535 to 1 (never 0
        /// [MQTT-2.3.1-1]). It is not held until <see cref="Put"/>. Throws when all 65,535 are in use.
        /// </summary>
        public int TakeFreeId()
        {
            if (_count >= 65535)
            {
                throw new System.InvalidOperationException("All 65,535 packet identifiers are in use.");
            }

            do
            {
                _next = _next >= 65535 ? 1 : _next + 1;
            }
            while (Find(_next) >= 0);

            return _next;
        }

        private int Find(int id)
        {
            int mask = _keys.Length - 1;
            int at = Hash(id) & mask;
            while (true)
            {
                object value = _values[at];
                if (value == null)
                {
                    return -1;
                }

                if (_keys[at] == id)
                {
                    return at;
                }

                at = (at + 1) & mask;
            }
        }

        private void Grow()
        {
            int[] keys = _keys;
            object[] values = _values;
            _keys = new int[keys.Length * 2];
            _values = new object[keys.Length * 2];
            _count = 0;
            for (int i = 0; i < keys.Length; i++)
            {
                if (values[i] != null)
                {
                    Put(keys[i], values[i]);
                }
            }
        }

        private static int Hash(int id)
        {
            return id * 40503;
        }
    }
}
