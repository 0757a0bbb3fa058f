namespace StateMachineMqtt.Engine.Store
{
    /// <summary>
    /// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), table-driven. Written here rather than taken from
    /// System.IO.Hashing so the session-log codec stays nanoFramework-compatible (no package, no Span).
    /// </summary>
    internal static class Crc32C
    {
        private static readonly uint[] Table = BuildTable();

        private static uint[] BuildTable()
        {
            uint[] table = new uint[256];
            for (uint i = 0; i < 256; i++)
            {
                uint c = i;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
                }
                table[i] = c;
            }
            return table;
        }

        /// <summary>The CRC-32C of <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/>.</summary>
        public static uint Compute(byte[] data, int offset, int count)
        {
            uint crc = 0xFFFFFFFFu;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                crc = Table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
            }
            return crc ^ 0xFFFFFFFFu;
        }
    }
}
