namespace StateMachineMqtt.Engine.Store
{
    /// <summary>
    /// Pure framing of the durable session log: each record is [length u32 LE][CRC-32C of body u32 LE][body].
    /// Recovery reads records while each one is whole and its checksum matches, and stops at the first that is not:
    /// a torn tail (a crash mid-append) or a corrupt byte ends the valid prefix, and nothing after it is replayed.
    /// </summary>
    internal static class SessionLogFraming
    {
        /// <summary>Bytes before each record's body: length and checksum.</summary>
        public const int HeaderSize = 8;

        /// <summary>A record body larger than this is taken for corruption (a flipped length byte), not read.</summary>
        public const int MaxBodySize = 256 * 1024 * 1024 + 1024;

        /// <summary>The framed bytes of one record body.</summary>
        public static byte[] Frame(byte[] body)
        {
            byte[] framed = new byte[HeaderSize + body.Length];
            WriteUInt32(framed, 0, (uint)body.Length);
            WriteUInt32(framed, 4, Crc32C.Compute(body, 0, body.Length));
            System.Array.Copy(body, 0, framed, HeaderSize, body.Length);
            return framed;
        }

        /// <summary>
        /// Length in bytes of the valid prefix of <paramref name="log"/> (its first <paramref name="count"/> bytes):
        /// the end of the last whole record whose checksum matches. Bytes after it are a torn or corrupt tail.
        /// </summary>
        public static int ValidPrefixLength(byte[] log, int count)
        {
            int position = 0;
            while (true)
            {
                int next = NextRecordEnd(log, count, position);
                if (next < 0)
                {
                    return position;
                }
                position = next;
            }
        }

        /// <summary>
        /// The end offset of the record starting at <paramref name="position"/>, or -1 when there is no whole,
        /// matching record there (end of log, torn tail or corruption).
        /// </summary>
        public static int NextRecordEnd(byte[] log, int count, int position)
        {
            if (count - position < HeaderSize)
            {
                return -1;
            }
            uint length = ReadUInt32(log, position);
            if (length > MaxBodySize || length > (uint)(count - position - HeaderSize))
            {
                return -1;
            }
            uint expected = ReadUInt32(log, position + 4);
            if (Crc32C.Compute(log, position + HeaderSize, (int)length) != expected)
            {
                return -1;
            }
            return position + HeaderSize + (int)length;
        }

        /// <summary>A copy of the body of the record that starts at <paramref name="position"/> and ends at <paramref name="end"/>.</summary>
        public static byte[] Body(byte[] log, int position, int end)
        {
            byte[] body = new byte[end - position - HeaderSize];
            System.Array.Copy(log, position + HeaderSize, body, 0, body.Length);
            return body;
        }

        private static void WriteUInt32(byte[] buffer, int offset, uint value)
        {
            buffer[offset] = (byte)value;
            buffer[offset + 1] = (byte)(value >> 8);
            buffer[offset + 2] = (byte)(value >> 16);
            buffer[offset + 3] = (byte)(value >> 24);
        }

        private static uint ReadUInt32(byte[] buffer, int offset)
        {
            return buffer[offset] | ((uint)buffer[offset + 1] << 8) | ((uint)buffer[offset + 2] << 16) | ((uint)buffer[offset + 3] << 24);
        }
    }
}
