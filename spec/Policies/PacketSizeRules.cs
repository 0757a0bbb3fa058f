namespace StateMachineMqtt.Spec
{
    /// <summary>
    /// Packet sizes as pure arithmetic: how many bytes a PUBLISH takes on the wire, MQTT's hard bound on any packet
    /// [MQTT-2.2.3], which outbound PUBLISH fits a configured maximum, and which oversized inbound packet can be read past
    /// instead of closing the link.
    /// </summary>
    public static class PacketSizeRules
    {
        /// <summary>The largest Remaining Length four bytes can carry: 268,435,455 [MQTT-2.2.3].</summary>
        public const int MaximumRemainingLength = 268435455;

        /// <summary>The largest packet MQTT 3.1.1 can frame: one type byte, four length bytes and <see cref="MaximumRemainingLength"/>.</summary>
        public const int MaximumPacketSize = MaximumRemainingLength + 5;

        /// <summary>The smallest PUBLISH: a one-byte topic at QoS 0, with no payload (type, length, topic length, topic).</summary>
        public const int SmallestPublishSize = 5;

        /// <summary>
        /// The Remaining Length of a PUBLISH [MQTT-3.3.2]: the topic's two-byte length prefix and its UTF-8 bytes, a packet
        /// identifier at QoS 1 and 2, then the payload. A long: a payload near 2 GiB would overflow an int.
        /// </summary>
        public static long PublishRemainingLength(int topicByteCount, long payloadLength, int qos)
        {
            return PublishRemainingLength(topicByteCount, payloadLength, qos, 0);
        }

        /// <summary>
        /// The Remaining Length of a PUBLISH whose MQTT 5 property section takes <paramref name="propertiesSize"/> bytes, its
        /// length field included [MQTT-3.3.2.3] (0 under MQTT 3.1.1, which has no section).
        /// </summary>
        public static long PublishRemainingLength(int topicByteCount, long payloadLength, int qos, int propertiesSize)
        {
            return 2L + topicByteCount + (qos > 0 ? 2 : 0) + propertiesSize + payloadLength;
        }

        /// <summary>
        /// The whole PUBLISH on the wire, fixed header included. Past <see cref="MaximumRemainingLength"/> the result is
        /// above <see cref="MaximumPacketSize"/> (such a packet cannot be framed at all).
        /// </summary>
        public static long PublishPacketSize(int topicByteCount, long payloadLength, int qos)
        {
            return PublishPacketSize(topicByteCount, payloadLength, qos, 0);
        }

        /// <summary>The whole PUBLISH on the wire with an MQTT 5 property section of <paramref name="propertiesSize"/> bytes.</summary>
        public static long PublishPacketSize(int topicByteCount, long payloadLength, int qos, int propertiesSize)
        {
            long remaining = PublishRemainingLength(topicByteCount, payloadLength, qos, propertiesSize);
            return 1 + RemainingLengthByteCount(remaining) + remaining;
        }

        /// <summary>
        /// The limit outbound packets are held to: the configured one, and, under MQTT 5, the Maximum Packet Size the broker
        /// gave in its CONNACK [MQTT-3.2.2-15] when it is lower (<paramref name="brokerMaximum"/> 0: it gave none).
        /// </summary>
        public static long OutboundLimit(long configured, long brokerMaximum)
        {
            return brokerMaximum > 0 && brokerMaximum < configured ? brokerMaximum : configured;
        }

        /// <summary>How many bytes the Remaining Length field takes for <paramref name="remaining"/> (4 for anything larger than three bytes carry).</summary>
        public static int RemainingLengthByteCount(long remaining)
        {
            return remaining < 128 ? 1 : remaining < 16384 ? 2 : remaining < 2097152 ? 3 : 4;
        }

        /// <summary>
        /// True when an outbound packet of <paramref name="packetSize"/> bytes may be queued: it is within the configured
        /// <paramref name="limit"/> (the peer's maximum packet size, as the user set it) and within what MQTT can frame at all.
        /// A PUBLISH that fails is refused before it is queued, so it is never put on a link the peer would close over it.
        /// </summary>
        public static bool FitsOutbound(long packetSize, long limit)
        {
            return packetSize <= limit && packetSize <= MaximumPacketSize;
        }

        /// <summary>
        /// True when a received packet over the maximum size may be read past (its body discarded as it arrives, never
        /// buffered) instead of closing the link: only a PUBLISH, and only when the part that must be decoded — the fixed
        /// header, the topic and, at QoS 1 and 2, the packet identifier (<paramref name="headerAndVariableHeader"/> bytes) —
        /// itself fits <paramref name="maximumPacketSize"/>. Then the client knows the topic, the QoS and the identifier, so it can
        /// acknowledge the message and the broker does not re-deliver it on every reconnect (a poison message). Any other
        /// oversized packet is a protocol violation [MQTT-4.8.0-1].
        /// </summary>
        public static bool MayReadPast(PacketKind packet, long headerAndVariableHeader, int maximumPacketSize)
        {
            return packet == PacketKind.Publish && headerAndVariableHeader <= maximumPacketSize;
        }

        /// <summary>
        /// The UTF-8 byte count of <paramref name="value"/> [MQTT-1.5.3], counted without System.Text (spec/ compiles for
        /// nanoFramework): a surrogate pair is 4 bytes; an unpaired surrogate counts as the 3 bytes of U+FFFD, which is what an
        /// encoder would write (the drivers refuse such topics before they get here).
        /// </summary>
        public static int Utf8ByteCount(string value)
        {
            int count = 0;
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c < 0x80)
                {
                    count += 1;
                }
                else if (c < 0x800)
                {
                    count += 2;
                }
                else if (c >= 0xD800 && c <= 0xDBFF && i + 1 < value.Length && value[i + 1] >= 0xDC00 && value[i + 1] <= 0xDFFF)
                {
                    count += 4;
                    i++;
                }
                else
                {
                    count += 3;
                }
            }

            return count;
        }
    }
}
