namespace StateMachineMqtt.Nano.Codec
{
    /// <summary>
    /// UTF-8 by hand, because nanoFramework has no System.Text encoder we may rely on. Strict both ways: an unpaired
    /// surrogate or U+0000 is refused when encoding, and malformed, overlong or surrogate-encoding bytes and U+0000 when
    /// decoding [MQTT-1.5.3-1], [MQTT-1.5.3-2].
    /// </summary>
    public static class Utf8
    {
        /// <summary>The UTF-8 length of <paramref name="value"/>, or -1 when it has an unpaired surrogate or U+0000.</summary>
        public static int Measure(string value)
        {
            int bytes = 0;
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c == '\0')
                {
                    return -1;
                }

                if (c < 0x80)
                {
                    bytes += 1;
                }
                else if (c < 0x800)
                {
                    bytes += 2;
                }
                else if (c >= 0xD800 && c <= 0xDBFF)
                {
                    if (i + 1 >= value.Length || value[i + 1] < 0xDC00 || value[i + 1] > 0xDFFF)
                    {
                        return -1;
                    }

                    bytes += 4;
                    i++;
                }
                else if (c >= 0xDC00 && c <= 0xDFFF)
                {
                    return -1;
                }
                else
                {
                    bytes += 3;
                }
            }

            return bytes;
        }

        /// <summary>Writes <paramref name="value"/> (already measured as valid) at <paramref name="offset"/>; returns the bytes written.</summary>
        public static int Encode(string value, byte[] buffer, int offset)
        {
            int at = offset;
            for (int i = 0; i < value.Length; i++)
            {
                int c = value[i];
                if (c < 0x80)
                {
                    buffer[at++] = (byte)c;
                }
                else if (c < 0x800)
                {
                    buffer[at++] = (byte)(0xC0 | (c >> 6));
                    buffer[at++] = (byte)(0x80 | (c & 0x3F));
                }
                else if (c >= 0xD800 && c <= 0xDBFF)
                {
                    int scalar = 0x10000 + ((c - 0xD800) << 10) + (value[++i] - 0xDC00);
                    buffer[at++] = (byte)(0xF0 | (scalar >> 18));
                    buffer[at++] = (byte)(0x80 | ((scalar >> 12) & 0x3F));
                    buffer[at++] = (byte)(0x80 | ((scalar >> 6) & 0x3F));
                    buffer[at++] = (byte)(0x80 | (scalar & 0x3F));
                }
                else
                {
                    buffer[at++] = (byte)(0xE0 | (c >> 12));
                    buffer[at++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                    buffer[at++] = (byte)(0x80 | (c & 0x3F));
                }
            }

            return at - offset;
        }

        /// <summary>Decodes <paramref name="count"/> bytes, or returns null when they are not well-formed UTF-8 or hold U+0000.</summary>
        public static string Decode(byte[] buffer, int offset, int count)
        {
            char[] chars = new char[count]; // never more UTF-16 units than bytes
            int n = 0;
            int end = offset + count;
            int i = offset;
            while (i < end)
            {
                int b = buffer[i];
                int scalar;
                int extra;
                int min;
                if (b < 0x80)
                {
                    scalar = b;
                    extra = 0;
                    min = 0;
                }
                else if ((b & 0xE0) == 0xC0)
                {
                    scalar = b & 0x1F;
                    extra = 1;
                    min = 0x80;
                }
                else if ((b & 0xF0) == 0xE0)
                {
                    scalar = b & 0x0F;
                    extra = 2;
                    min = 0x800;
                }
                else if ((b & 0xF8) == 0xF0)
                {
                    scalar = b & 0x07;
                    extra = 3;
                    min = 0x10000;
                }
                else
                {
                    return null;
                }

                if (i + extra >= end)
                {
                    return null;
                }

                for (int k = 1; k <= extra; k++)
                {
                    int next = buffer[i + k];
                    if ((next & 0xC0) != 0x80)
                    {
                        return null;
                    }

                    scalar = (scalar << 6) | (next & 0x3F);
                }

                if (scalar < min || scalar > 0x10FFFF || (scalar >= 0xD800 && scalar <= 0xDFFF) || scalar == 0)
                {
                    return null;
                }

                if (scalar >= 0x10000)
                {
                    scalar -= 0x10000;
                    chars[n++] = (char)(0xD800 + (scalar >> 10));
                    chars[n++] = (char)(0xDC00 + (scalar & 0x3FF));
                }
                else
                {
                    chars[n++] = (char)scalar;
                }

                i += 1 + extra;
            }

            return new string(chars, 0, n);
        }
    }
}
