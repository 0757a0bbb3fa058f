using System;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Codec
{
    /// <summary>
    /// Decodes one MQTT 3.1.1 packet (or, with <see cref="TryRead5"/>, one MQTT 5 packet) from the start of a byte range. Bounded: a packet announcing more than the maximum
    /// size is refused from its fixed header, before its body is waited for — except a PUBLISH whose header, topic and
    /// packet identifier fit (spec/'s PacketSizeRules.MayReadPast): that one is decoded without its payload, which the caller
    /// then discards as it arrives (<see cref="NanoPacket.BodyToSkip"/>, <see cref="Skip"/>), so it can be acknowledged
    /// instead of re-delivered on every reconnect. Malformed bytes throw NanoProtocolException (close the link
    /// [MQTT-4.8.0-1]); nothing else is thrown for any input.
    /// </summary>
    public static partial class NanoPacketReader
    {
        /// <summary>
        /// Decodes a packet from <paramref name="buffer"/>[<paramref name="offset"/>, +<paramref name="count"/>) into
        /// <paramref name="packet"/>. Returns the bytes it took, or 0 when the range holds only part of a packet. For an
        /// oversized PUBLISH it takes only the header and sets <see cref="NanoPacket.BodyToSkip"/>.
        /// </summary>
        public static int TryRead(byte[] buffer, int offset, int count, int maximumPacketSize, NanoPacket packet)
        {
            NanoProperties none;
            return Read(buffer, offset, count, maximumPacketSize, packet, false, out none);
        }

        /// <summary>
        /// As <see cref="TryRead"/>, for MQTT 5: reason codes go to <see cref="NanoPacket.ReturnCode"/> (CONNACK, PUBACK,
        /// PUBREC, PUBREL, PUBCOMP, DISCONNECT, AUTH) and <see cref="NanoPacket.ReturnCodes"/> (SUBACK, UNSUBACK), each held
        /// to spec/'s ReasonCodeTable, and the property section to <paramref name="properties"/> (null when empty), held to
        /// its PropertyTable. A packet over the maximum size is refused whatever its type, PUBLISH included: the client
        /// announced that size in CONNECT, which the broker must honour [MQTT-3.1.2-25]. CONNECT, SUBSCRIBE and UNSUBSCRIBE,
        /// which only a client sends, are read as their type alone: any of them closes the link.
        /// </summary>
        public static int TryRead5(byte[] buffer, int offset, int count, int maximumPacketSize, NanoPacket packet, out NanoProperties properties)
        {
            return Read(buffer, offset, count, maximumPacketSize, packet, true, out properties);
        }

        private static int Read(byte[] buffer, int offset, int count, int maximumPacketSize, NanoPacket packet, bool v5, out NanoProperties properties)
        {
            properties = null;
            if (count < 1)
            {
                return 0;
            }

            int first = buffer[offset];
            NanoPacketType type = CheckFixedHeader(first, v5);
            int remaining = 0;
            int multiplier = 1;
            int at = offset + 1;
            while (true)
            {
                if (at - offset > 4)
                {
                    throw new NanoProtocolException("The remaining length takes more than four bytes [MQTT-2.2.3]: the stream is not MQTT or is out of step.");
                }

                if (at >= offset + count)
                {
                    return 0;
                }

                int digit = buffer[at++];
                remaining += (digit & 0x7F) * multiplier;
                multiplier *= 128;
                if ((digit & 0x80) == 0)
                {
                    // A last byte of 0 after others: a shorter form existed. MQTT 5 refuses it [MQTT-1.5.5-1]; MQTT 3.1.1
                    // (2.2.3) has no such rule, so it is read there (as core's RemainingLength does).
                    if (digit == 0 && multiplier > 128 && v5)
                    {
                        throw NanoPropertyReader.NotMinimal("remaining length");
                    }

                    break;
                }
            }

            int headerLength = at - offset;
            if ((long)headerLength + remaining > maximumPacketSize)
            {
                if (type == NanoPacketType.Publish && !v5)
                {
                    return TryReadOversizedPublish(buffer, offset, count, at, headerLength, remaining, first, maximumPacketSize, packet);
                }

                throw TooLarge(headerLength + (long)remaining, maximumPacketSize, "");
            }

            if (count - headerLength < remaining)
            {
                return 0;
            }

            packet.Type = type;
            if (v5)
            {
                properties = DecodeBody5(type, first, buffer, at, remaining, packet);
            }
            else
            {
                DecodeBody(type, first, buffer, at, remaining, packet);
            }

            return headerLength + remaining;
        }

        /// <summary>
        /// Discards what is owed of an oversized PUBLISH's body from <paramref name="available"/> received bytes: returns how
        /// many to drop now (at most <paramref name="remaining"/>); the caller lowers its count by that and skips again with
        /// the next bytes, so the body is never held whole.
        /// </summary>
        public static int Skip(int available, int remaining)
        {
            return available < remaining ? available : remaining;
        }

        private static int TryReadOversizedPublish(byte[] buffer, int offset, int count, int at, int headerLength, int remaining, int first, int maximumPacketSize, NanoPacket packet)
        {
            long packetSize = headerLength + (long)remaining;
            if (remaining < 2)
            {
                throw new NanoProtocolException("A PUBLISH of " + packetSize.ToString() + " bytes has a remaining length of " + remaining.ToString() + ", too short for its topic's length field: the packet is malformed.");
            }

            if (count < headerLength + 2)
            {
                return 0;
            }

            int qos = (first >> 1) & 0x03;
            int topicLength = (buffer[at] << 8) | buffer[at + 1];
            int variableHeader = 2 + topicLength + (qos > 0 ? 2 : 0);
            if (variableHeader > remaining)
            {
                throw new NanoProtocolException("A PUBLISH topic and packet identifier need " + variableHeader.ToString() + " bytes but its remaining length is " + remaining.ToString() + ": the packet is truncated.");
            }

            if (!PacketSizeRules.MayReadPast(PacketKind.Publish, headerLength + variableHeader, maximumPacketSize))
            {
                throw TooLarge(packetSize, maximumPacketSize, " Its header and " + topicLength.ToString() + "-byte topic alone exceed the limit, so it cannot even be read past.");
            }

            if (count < headerLength + variableHeader)
            {
                return 0;
            }

            int end = at + variableHeader;
            packet.Type = NanoPacketType.Publish;
            packet.Dup = (first & 0x08) != 0;
            packet.Qos = qos;
            packet.Retain = (first & 0x01) != 0;
            packet.Topic = ReadTopicName(buffer, ref at, end, "PUBLISH topic");
            packet.PacketId = qos > 0 ? ReadPacketId(buffer, ref at, end, "PUBLISH") : 0;
            packet.Payload = null;
            packet.PacketSize = (int)packetSize;
            packet.BodyToSkip = remaining - variableHeader;
            return headerLength + variableHeader;
        }

        private static NanoProtocolException TooLarge(long packetSize, int maximumPacketSize, string detail)
        {
            return new NanoProtocolException("A packet of " + packetSize.ToString() + " bytes exceeds the maximum packet size of " + maximumPacketSize.ToString() + " bytes." + detail + " Raise the limit or have the broker send smaller packets.");
        }

        private static NanoPacketType CheckFixedHeader(int first, bool v5)
        {
            int type = first >> 4;
            int flags = first & 0x0F;
            if (type == 0 || (type == 15 && !v5))
            {
                throw new NanoProtocolException("Packet type " + type.ToString() + (type == 0 ? " is reserved" : " is reserved in MQTT 3.1.1") + " [MQTT-2.2.1]: the stream is not MQTT as this client speaks it, or is out of step.");
            }

            if (type == 3)
            {
                if ((flags & 0x06) == 0x06)
                {
                    throw new NanoProtocolException("PUBLISH has QoS 3, which does not exist [MQTT-3.3.1-4].");
                }

                if ((flags & 0x06) == 0 && (flags & 0x08) != 0)
                {
                    throw new NanoProtocolException("PUBLISH at QoS 0 has the DUP flag set [MQTT-3.3.1-2].");
                }
            }
            else if (flags != ((type == 6 || type == 8 || type == 10) ? 0x02 : 0))
            {
                throw new NanoProtocolException("Packet type " + type.ToString() + " has reserved fixed-header flags 0x" + flags.ToString("X") + " [MQTT-2.2.2-1].");
            }

            return (NanoPacketType)type;
        }

        private static void DecodeBody(NanoPacketType type, int first, byte[] buffer, int at, int length, NanoPacket packet)
        {
            int end = at + length;
            switch (type)
            {
                case NanoPacketType.ConnAck:
                    ExpectLength(length, 2, "CONNACK");
                    DecodeConnAck(buffer[at], buffer[at + 1], packet);
                    return;
                case NanoPacketType.Publish:
                    DecodePublish(first, buffer, at, end, packet);
                    return;
                case NanoPacketType.PubAck:
                case NanoPacketType.PubRec:
                case NanoPacketType.PubRel:
                case NanoPacketType.PubComp:
                case NanoPacketType.UnsubAck:
                    ExpectLength(length, 2, IdOnlyName(type));
                    packet.PacketId = ReadPacketId(buffer, ref at, end, IdOnlyName(type));
                    return;
                case NanoPacketType.SubAck:
                    DecodeSubAck(buffer, at, end, packet);
                    return;
                case NanoPacketType.PingReq:
                case NanoPacketType.PingResp:
                case NanoPacketType.Disconnect:
                    ExpectLength(length, 0, "PINGREQ, PINGRESP and DISCONNECT");
                    return;
                case NanoPacketType.Subscribe:
                    DecodeSubscribe(buffer, at, end, packet);
                    return;
                case NanoPacketType.Unsubscribe:
                    DecodeUnsubscribe(buffer, at, end, packet);
                    return;
                default:
                    DecodeConnect(buffer, at, end, packet);
                    return;
            }
        }

        private static string IdOnlyName(NanoPacketType type)
        {
            switch (type)
            {
                case NanoPacketType.PubAck: return "PUBACK";
                case NanoPacketType.PubRec: return "PUBREC";
                case NanoPacketType.PubRel: return "PUBREL";
                case NanoPacketType.PubComp: return "PUBCOMP";
                default: return "UNSUBACK";
            }
        }

        private static void DecodeConnAck(int acknowledgeFlags, int code, NanoPacket packet)
        {
            if ((acknowledgeFlags & 0xFE) != 0)
            {
                throw new NanoProtocolException("CONNACK acknowledge flags have reserved bits 7-1 set [MQTT-3.2.2.1].");
            }

            if (code > 5)
            {
                throw new NanoProtocolException("CONNACK return code " + code.ToString() + " is reserved; MQTT 3.1.1 defines 0 to 5 [MQTT-3.2.2.3].");
            }

            if (acknowledgeFlags != 0 && code != 0)
            {
                throw new NanoProtocolException("CONNACK refuses the connection yet sets session present [MQTT-3.2.2-4].");
            }

            packet.SessionPresent = acknowledgeFlags != 0;
            packet.ReturnCode = code;
        }

        private static void DecodePublish(int first, byte[] buffer, int at, int end, NanoPacket packet)
        {
            packet.Dup = (first & 0x08) != 0;
            packet.Qos = (first >> 1) & 0x03;
            packet.Retain = (first & 0x01) != 0;
            packet.Topic = ReadTopicName(buffer, ref at, end, "PUBLISH topic");
            packet.PacketId = packet.Qos > 0 ? ReadPacketId(buffer, ref at, end, "PUBLISH") : 0;
            byte[] payload = new byte[end - at];
            Array.Copy(buffer, at, payload, 0, payload.Length);
            packet.Payload = payload;
            packet.BodyToSkip = 0;
            packet.PacketSize = 0;
        }

        private static void DecodeSubAck(byte[] buffer, int at, int end, NanoPacket packet)
        {
            packet.PacketId = ReadPacketId(buffer, ref at, end, "SUBACK");
            if (at == end)
            {
                throw new NanoProtocolException("SUBACK has no return codes; it needs one per topic filter subscribed [MQTT-3.9.3-1].");
            }

            byte[] codes = new byte[end - at];
            for (int i = 0; i < codes.Length; i++)
            {
                codes[i] = buffer[at + i];
                if (codes[i] > 2 && codes[i] != 0x80)
                {
                    throw new NanoProtocolException("SUBACK return code " + codes[i].ToString() + " is reserved; allowed are 0, 1, 2 and 0x80 [MQTT-3.9.3-2].");
                }
            }

            packet.ReturnCodes = codes;
        }

        private static void ExpectLength(int length, int expected, string what)
        {
            if (length != expected)
            {
                throw new NanoProtocolException(what + " must have a remaining length of " + expected.ToString() + ", not " + length.ToString() + ".");
            }
        }

        internal static int ReadPacketId(byte[] buffer, ref int at, int end, string what)
        {
            int id = ReadUInt16(buffer, ref at, end, what);
            if (id == 0)
            {
                throw new NanoProtocolException(what + " has packet identifier 0; identifiers must be non-zero [MQTT-2.3.1-1].");
            }

            return id;
        }

        internal static int ReadUInt16(byte[] buffer, ref int at, int end, string what)
        {
            if (end - at < 2)
            {
                throw new NanoProtocolException(what + " ends before its two-byte field: the packet is truncated.");
            }

            int value = (buffer[at] << 8) | buffer[at + 1];
            at += 2;
            return value;
        }

        internal static string ReadString(byte[] buffer, ref int at, int end, string what)
        {
            int length = ReadUInt16(buffer, ref at, end, what);
            if (end - at < length)
            {
                throw new NanoProtocolException("The " + what + " runs past the end of its packet: the packet is truncated.");
            }

            string value = Utf8.Decode(buffer, at, length);
            if (value == null)
            {
                throw new NanoProtocolException("The " + what + " is not well-formed UTF-8 or contains U+0000 [MQTT-1.5.3-1], [MQTT-1.5.3-2].");
            }

            at += length;
            return value;
        }

        /// <summary>Reads a string that is a topic name, held to the codec's one topic-name rule (WireFormat.TopicNameProblem).</summary>
        private static string ReadTopicName(byte[] buffer, ref int at, int end, string what)
        {
            string topic = ReadString(buffer, ref at, end, what);
            string problem = WireFormat.TopicNameProblem(topic, what);
            if (problem != null)
            {
                throw new NanoProtocolException(problem);
            }

            return topic;
        }

        internal static byte[] ReadBinary(byte[] buffer, ref int at, int end, string what)
        {
            int length = ReadUInt16(buffer, ref at, end, what);
            if (end - at < length)
            {
                throw new NanoProtocolException("The " + what + " runs past the end of its packet: the packet is truncated.");
            }

            byte[] data = new byte[length];
            Array.Copy(buffer, at, data, 0, length);
            at += length;
            return data;
        }
    }
}
