using System;

namespace StateMachineMqtt.Nano.Codec
{
    /// <summary>The wire primitives of MQTT 3.1.1 and 5: fixed header, remaining length [MQTT-2.2.3], two-byte integers and strings [MQTT-1.5].</summary>
    internal static class WireFormat
    {
        /// <summary>The largest remaining length four bytes can carry [MQTT-2.2.3].</summary>
        public const int MaxRemainingLength = 268435455;

        /// <summary>An empty payload, shared (nano has no Array.Empty).</summary>
#pragma warning disable CA1825 // Array.Empty is generic, which nano lacks; this is the one shared empty array.
        public static readonly byte[] NoBytes = new byte[0];
#pragma warning restore CA1825

        /// <summary>Bytes the remaining length takes.</summary>
        public static int RemainingLengthSize(int remaining)
        {
            return remaining < 128 ? 1 : remaining < 16384 ? 2 : remaining < 2097152 ? 3 : 4;
        }

        /// <summary>Writes the fixed header; returns the offset after it.</summary>
        public static int WriteHeader(byte[] buffer, int at, int first, int remaining)
        {
            buffer[at++] = (byte)first;
            return WriteVariable(buffer, at, remaining);
        }

        /// <summary>Writes a Variable Byte Integer [MQTT-1.5.5] (MQTT 5 property lengths and values); returns the offset after it.</summary>
        public static int WriteVariable(byte[] buffer, int at, int value)
        {
            do
            {
                int digit = value % 128;
                value /= 128;
                buffer[at++] = (byte)(value > 0 ? digit | 0x80 : digit);
            }
            while (value > 0);
            return at;
        }

        /// <summary>Writes a big-endian four-byte integer; returns the offset after it.</summary>
        public static int WriteUInt32(byte[] buffer, int at, long value)
        {
            buffer[at] = (byte)(value >> 24);
            buffer[at + 1] = (byte)(value >> 16);
            buffer[at + 2] = (byte)(value >> 8);
            buffer[at + 3] = (byte)value;
            return at + 4;
        }

        /// <summary>Writes a big-endian two-byte integer; returns the offset after it.</summary>
        public static int WriteUInt16(byte[] buffer, int at, int value)
        {
            buffer[at] = (byte)(value >> 8);
            buffer[at + 1] = (byte)value;
            return at + 2;
        }

        /// <summary>Writes a length-prefixed string of <paramref name="utf8Length"/> bytes; returns the offset after it.</summary>
        public static int WriteString(byte[] buffer, int at, string value, int utf8Length)
        {
            at = WriteUInt16(buffer, at, utf8Length);
            return at + Utf8.Encode(value, buffer, at);
        }

        /// <summary>Writes length-prefixed binary data; returns the offset after it.</summary>
        public static int WriteBinary(byte[] buffer, int at, byte[] data)
        {
            at = WriteUInt16(buffer, at, data.Length);
            Array.Copy(data, 0, buffer, at, data.Length);
            return at + data.Length;
        }

        /// <summary>Measures a string for writing, or throws ArgumentException saying what is wrong with it.</summary>
        public static int MeasureString(string value, string what)
        {
            if (value == null)
            {
                throw new ArgumentException("The " + what + " is null; give a string (it may be empty).");
            }

            int length = Utf8.Measure(value);
            if (length < 0)
            {
                throw new ArgumentException("The " + what + " contains U+0000 or an unpaired surrogate, which MQTT strings must not [MQTT-1.5.3-1], [MQTT-1.5.3-2]. Fix the string.");
            }

            if (length > 65535)
            {
                throw new ArgumentException("The " + what + " is longer than 65,535 UTF-8 bytes [MQTT-1.5.3]. Shorten it.");
            }

            return length;
        }

        /// <summary>Throws ArgumentException unless <paramref name="topic"/> is a valid topic name (<see cref="TopicNameProblem"/>).</summary>
        public static void EnsureTopicName(string topic, string what)
        {
            string problem = TopicNameProblem(topic, what);
            if (problem != null)
            {
                throw new ArgumentException(problem);
            }
        }

        /// <summary>
        /// The one topic-name rule of the device codec, for what it writes and what it reads: null when <paramref name="topic"/>
        /// is a valid topic name, else the sentence saying why not (empty [MQTT-4.7.3-1], a wildcard [MQTT-3.3.2-2], U+0000
        /// [MQTT-1.5.3-2]). Well-formed UTF-8 is checked where the bytes are (Utf8).
        /// </summary>
        public static string TopicNameProblem(string topic, string what)
        {
            if (topic == null || topic.Length == 0)
            {
                return "The " + what + " is empty; topic names must be at least one character [MQTT-4.7.3-1].";
            }

            if (HasWildcard(topic))
            {
                return "The " + what + " \"" + topic + "\" contains a wildcard ('+' or '#'), which only topic filters may [MQTT-3.3.2-2].";
            }

            for (int i = 0; i < topic.Length; i++)
            {
                if (topic[i] == '\0')
                {
                    return "The " + what + " contains the null character U+0000, which MQTT strings must not [MQTT-1.5.3-2].";
                }
            }

            return null;
        }

        /// <summary>True when <paramref name="topic"/> has '+' or '#' (a char loop: nano's string has no Contains(char)).</summary>
        public static bool HasWildcard(string topic)
        {
            for (int i = 0; i < topic.Length; i++)
            {
                if (topic[i] == '+' || topic[i] == '#')
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Throws unless <paramref name="packetId"/> is a valid non-zero packet identifier [MQTT-2.3.1-1].</summary>
        public static void EnsurePacketId(int packetId, string what)
        {
            if (packetId < 1 || packetId > 65535)
            {
                throw new ArgumentException(what + " needs a packet identifier from 1 to 65535 [MQTT-2.3.1-1], not " + packetId.ToString() + ".");
            }
        }
    }
}
