namespace StateMachineMqtt.Engine.Store
{
    /// <summary>
    /// Pure encoding of a <see cref="SessionRecord"/> into a log record body and back (the framing around it is
    /// <see cref="SessionLogFraming"/>'s). Little-endian integers; strings as a 32-bit length and UTF-8 written here, as
    /// nanoFramework has no System.Text encoder with these guarantees. A body that does not decode is corruption.
    /// </summary>
    public static class SessionRecordCodec
    {
        /// <summary>The body of <paramref name="record"/>.</summary>
        public static byte[] Encode(SessionRecord record)
        {
            Writer w = new Writer(Size(record));
            w.Byte((int)record.Kind);
            switch (record.Kind)
            {
                case SessionRecordKind.MessageAccepted:
                    w.Long(record.Sequence);
                    w.Byte(record.Qos | (record.Retain ? 0x80 : 0));
                    w.Text(record.Topic);
                    w.Bytes(record.Payload);
                    break;
                case SessionRecordKind.MessageSent:
                    w.Long(record.Sequence);
                    w.Int(record.PacketId);
                    break;
                case SessionRecordKind.PubRecReceived:
                case SessionRecordKind.MessageCompleted:
                    w.Long(record.Sequence);
                    break;
                case SessionRecordKind.ReceiptHeld:
                    w.Int(record.PacketId);
                    w.Long(record.TopicDigest);
                    w.Long(record.PayloadDigest);
                    w.Byte(record.PayloadKnown ? 1 : 0);
                    break;
                case SessionRecordKind.ReceiptReleased:
                    w.Int(record.PacketId);
                    break;
                case SessionRecordKind.SubscriptionSet:
                    w.Text(record.Topic);
                    w.Byte(record.Qos);
                    w.Int(record.Options);
                    w.Int(record.Identifier);
                    break;
                case SessionRecordKind.SubscriptionRemoved:
                    w.Text(record.Topic);
                    break;
                default:
                    throw new System.ArgumentException("Session record kind " + ((int)record.Kind).ToString() + " has no encoding.");
            }

            return w.Buffer;
        }

        /// <summary>The record <paramref name="body"/> holds, or null when it is not a whole, known record (corruption).</summary>
        public static SessionRecord Decode(byte[] body)
        {
            Reader r = new Reader(body);
            SessionRecord record = new SessionRecord();
            record.Kind = (SessionRecordKind)r.Byte();
            switch (record.Kind)
            {
                case SessionRecordKind.MessageAccepted:
                    record.Sequence = r.Long();
                    int flags = r.Byte();
                    record.Qos = flags & 0x7F;
                    record.Retain = (flags & 0x80) != 0;
                    record.Topic = r.Text();
                    record.Payload = r.Bytes();
                    if (record.Qos < 1 || record.Qos > 2)
                    {
                        return null;
                    }

                    break;
                case SessionRecordKind.MessageSent:
                    record.Sequence = r.Long();
                    record.PacketId = r.Int();
                    break;
                case SessionRecordKind.PubRecReceived:
                case SessionRecordKind.MessageCompleted:
                    record.Sequence = r.Long();
                    break;
                case SessionRecordKind.ReceiptHeld:
                    record.PacketId = r.Int();
                    record.TopicDigest = r.Long();
                    record.PayloadDigest = r.Long();
                    record.PayloadKnown = r.Byte() == 1;
                    break;
                case SessionRecordKind.ReceiptReleased:
                    record.PacketId = r.Int();
                    break;
                case SessionRecordKind.SubscriptionSet:
                    record.Topic = r.Text();
                    record.Qos = r.Byte();
                    record.Options = r.Int();
                    record.Identifier = r.Int();
                    break;
                case SessionRecordKind.SubscriptionRemoved:
                    record.Topic = r.Text();
                    break;
                default:
                    return null;
            }

            return r.Failed || r.Position != body.Length ? null : record;
        }

        private static int Size(SessionRecord record)
        {
            int size = 1 + 8 + 4 + 8 + 8 + 1 + 4 + 4 + 4;
            if (record.Topic != null)
            {
                size += 4 + StateMachineMqtt.Spec.PacketSizeRules.Utf8ByteCount(record.Topic);
            }

            if (record.Payload != null)
            {
                size += 4 + record.Payload.Length;
            }

            return size;
        }

        private sealed class Writer
        {
            private byte[] _buffer;
            private int _position;

            public Writer(int capacity)
            {
                _buffer = new byte[capacity];
            }

            public byte[] Buffer
            {
                get
                {
                    byte[] exact = new byte[_position];
                    System.Array.Copy(_buffer, 0, exact, 0, _position);
                    return exact;
                }
            }

            public void Byte(int value)
            {
                _buffer[_position++] = (byte)value;
            }

            public void Int(int value)
            {
                for (int i = 0; i < 4; i++)
                {
                    _buffer[_position++] = (byte)(value >> (8 * i));
                }
            }

            public void Long(long value)
            {
                for (int i = 0; i < 8; i++)
                {
                    _buffer[_position++] = (byte)(value >> (8 * i));
                }
            }

            public void Bytes(byte[] value)
            {
                Int(value.Length);
                System.Array.Copy(value, 0, _buffer, _position, value.Length);
                _position += value.Length;
            }

            public void Text(string value)
            {
                int lengthAt = _position;
                _position += 4;
                int start = _position;
                for (int i = 0; i < value.Length; i++)
                {
                    int c = value[i];
                    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < value.Length && value[i + 1] >= 0xDC00 && value[i + 1] <= 0xDFFF)
                    {
                        c = 0x10000 + ((c - 0xD800) << 10) + (value[++i] - 0xDC00);
                    }

                    if (c < 0x80)
                    {
                        Byte(c);
                    }
                    else if (c < 0x800)
                    {
                        Byte(0xC0 | (c >> 6));
                        Byte(0x80 | (c & 0x3F));
                    }
                    else if (c < 0x10000)
                    {
                        Byte(0xE0 | (c >> 12));
                        Byte(0x80 | ((c >> 6) & 0x3F));
                        Byte(0x80 | (c & 0x3F));
                    }
                    else
                    {
                        Byte(0xF0 | (c >> 18));
                        Byte(0x80 | ((c >> 12) & 0x3F));
                        Byte(0x80 | ((c >> 6) & 0x3F));
                        Byte(0x80 | (c & 0x3F));
                    }
                }

                int length = _position - start;
                int end = _position;
                _position = lengthAt;
                Int(length);
                _position = end;
            }
        }

#pragma warning disable CA1825 // Array.Empty is generic: not on nanoFramework
        private static readonly byte[] NoBytes = new byte[0];
#pragma warning restore CA1825

        private sealed class Reader
        {
            private readonly byte[] _buffer;

            public Reader(byte[] buffer)
            {
                _buffer = buffer;
            }

            public int Position;

            public bool Failed;

            private bool Has(int count)
            {
                if (Failed || count < 0 || _buffer.Length - Position < count)
                {
                    Failed = true;
                    return false;
                }

                return true;
            }

            public int Byte()
            {
                return Has(1) ? _buffer[Position++] : 0;
            }

            public int Int()
            {
                if (!Has(4))
                {
                    return 0;
                }

                int value = 0;
                for (int i = 0; i < 4; i++)
                {
                    value |= _buffer[Position++] << (8 * i);
                }

                return value;
            }

            public long Long()
            {
                if (!Has(8))
                {
                    return 0;
                }

                long value = 0;
                for (int i = 0; i < 8; i++)
                {
                    value |= (long)_buffer[Position++] << (8 * i);
                }

                return value;
            }

            public byte[] Bytes()
            {
                int length = Int();
                if (!Has(length))
                {
                    return NoBytes;
                }

                byte[] value = new byte[length];
                System.Array.Copy(_buffer, Position, value, 0, length);
                Position += length;
                return value;
            }

            public string Text()
            {
                int length = Int();
                if (!Has(length))
                {
                    return "";
                }

                int end = Position + length;
                char[] chars = new char[length];
                int n = 0;
                while (Position < end)
                {
                    int b = _buffer[Position++];
                    int extra = b < 0x80 ? 0 : b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : -1;
                    if (extra < 0 || end - Position < extra)
                    {
                        Failed = true;
                        return "";
                    }

                    int c = extra == 0 ? b : extra == 1 ? b & 0x1F : extra == 2 ? b & 0x0F : b & 0x07;
                    for (int k = 0; k < extra; k++)
                    {
                        c = (c << 6) | (_buffer[Position++] & 0x3F);
                    }

                    if (c >= 0x10000)
                    {
                        c -= 0x10000;
                        chars[n++] = (char)(0xD800 + (c >> 10));
                        chars[n++] = (char)(0xDC00 + (c & 0x3FF));
                    }
                    else
                    {
                        chars[n++] = (char)c;
                    }
                }

                return new string(chars, 0, n);
            }
        }
    }
}
