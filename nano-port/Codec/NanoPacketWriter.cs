using System;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Codec
{
    /// <summary>
    /// Encodes the packets a device sends into a caller's buffer at an offset, with no allocation. Each method returns the
    /// packet's length, or -1 when it does not fit in the room left (nothing written then); invalid input throws
    /// ArgumentException saying what to fix. PINGREQ and DISCONNECT are static byte arrays.
    /// </summary>
    public static partial class NanoPacketWriter
    {
        /// <summary>PINGREQ [MQTT-3.12]: fixed, so a ping allocates nothing.</summary>
        public static readonly byte[] PingReq = new byte[] { 0xC0, 0x00 };

        /// <summary>DISCONNECT [MQTT-3.14].</summary>
        public static readonly byte[] Disconnect = new byte[] { 0xE0, 0x00 };

        /// <summary>CONNECT [MQTT-3.1]: protocol "MQTT" level 4, with the Clean Session flag of <paramref name="connect"/>.</summary>
        public static int WriteConnect(byte[] buffer, int offset, NanoConnectOptions connect)
        {
            return WriteConnect(buffer, offset, connect, connect.CleanSession);
        }

        /// <summary>CONNECT [MQTT-3.1] with the fields of <paramref name="connect"/> but the Clean Session flag <paramref name="cleanSession"/> (the engine decides it per connect).</summary>
        public static int WriteConnect(byte[] buffer, int offset, NanoConnectOptions connect, bool cleanSession)
        {
            return WriteConnect(buffer, offset, connect, connect.ClientId, cleanSession, null, false);
        }

        private static int WriteConnect(byte[] buffer, int offset, NanoConnectOptions connect, string clientIdentifier, bool cleanSession, NanoProperties properties, bool v5)
        {
            int clientId = WireFormat.MeasureString(clientIdentifier, "CONNECT client identifier");
            if (clientId == 0 && !cleanSession && !v5)
            {
                throw new ArgumentException("CONNECT with an empty client identifier must set CleanSession [MQTT-3.1.3-7]. Give a client identifier or use a clean session.");
            }

            if (connect.KeepAliveSeconds < 0 || connect.KeepAliveSeconds > 65535)
            {
                throw new ArgumentException("CONNECT keepalive must be 0 to 65535 seconds, not " + connect.KeepAliveSeconds.ToString() + ".");
            }

            int propertiesLength = v5 ? NanoPropertyWriter.Measure(properties, PropertyContext.Connect, "CONNECT", 0) : 0;
            int remaining = 10 + (v5 ? NanoPropertyWriter.SectionSize(propertiesLength) : 0) + 2 + clientId;
            int flags = cleanSession ? 0x02 : 0;
            int willTopic = 0;
            int willProperties = 0;
            if (connect.WillProperties != null && (!v5 || connect.WillTopic == null))
            {
                throw new ArgumentException(v5
                    ? "CONNECT has will properties but no will: set WillTopic too, or leave WillProperties null."
                    : "CONNECT will properties need MQTT 5, and this CONNECT is MQTT 3.1.1: leave WillProperties null.");
            }

            if (connect.WillTopic != null)
            {
                WireFormat.EnsureTopicName(connect.WillTopic, "CONNECT will topic");
                willTopic = WireFormat.MeasureString(connect.WillTopic, "CONNECT will topic");
                EnsureQos(connect.WillQos, "CONNECT will");
                byte[] willPayload = connect.WillPayload ?? WireFormat.NoBytes;
                EnsureBinary(willPayload, "CONNECT will message");
                if (v5)
                {
                    willProperties = NanoPropertyWriter.Measure(connect.WillProperties, PropertyContext.Will, "CONNECT will", 0);
                    remaining += NanoPropertyWriter.SectionSize(willProperties); // MQTT 5: the Will property section, perhaps empty
                }

                remaining += 2 + willTopic + 2 + willPayload.Length;
                flags |= 0x04 | (connect.WillQos << 3) | (connect.WillRetain ? 0x20 : 0);
            }

            int userName = 0;
            if (connect.UserName != null)
            {
                userName = WireFormat.MeasureString(connect.UserName, "CONNECT user name");
                remaining += 2 + userName;
                flags |= 0x80;
            }

            if (connect.Password != null)
            {
                if (connect.UserName == null && !v5)
                {
                    throw new ArgumentException("CONNECT has a password but no user name; MQTT 3.1.1 sends a password only with a user name [MQTT-3.1.2-22]. Set UserName too.");
                }

                EnsureBinary(connect.Password, "CONNECT password");
                remaining += 2 + connect.Password.Length;
                flags |= 0x40;
            }

            if (!Fits(buffer, offset, remaining))
            {
                return -1;
            }

            int at = WireFormat.WriteHeader(buffer, offset, 0x10, remaining);
            at = WireFormat.WriteUInt16(buffer, at, 4);
            buffer[at++] = (byte)'M';
            buffer[at++] = (byte)'Q';
            buffer[at++] = (byte)'T';
            buffer[at++] = (byte)'T';
            buffer[at++] = (byte)(v5 ? 5 : 4);
            buffer[at++] = (byte)flags;
            at = WireFormat.WriteUInt16(buffer, at, connect.KeepAliveSeconds);
            if (v5)
            {
                at = NanoPropertyWriter.Write(buffer, at, properties, propertiesLength, PropertyContext.Connect, 0);
            }

            at = WireFormat.WriteString(buffer, at, clientIdentifier, clientId);
            if (connect.WillTopic != null)
            {
                if (v5)
                {
                    at = NanoPropertyWriter.Write(buffer, at, connect.WillProperties, willProperties, PropertyContext.Will, 0);
                }

                at = WireFormat.WriteString(buffer, at, connect.WillTopic, willTopic);
                at = WireFormat.WriteBinary(buffer, at, connect.WillPayload ?? WireFormat.NoBytes);
            }

            if (connect.UserName != null)
            {
                at = WireFormat.WriteString(buffer, at, connect.UserName, userName);
            }

            if (connect.Password != null)
            {
                at = WireFormat.WriteBinary(buffer, at, connect.Password);
            }

            return at - offset;
        }

        /// <summary>PUBLISH [MQTT-3.3]; <paramref name="packetId"/> is 0 at QoS 0 and non-zero otherwise.</summary>
        public static int WritePublish(byte[] buffer, int offset, string topic, byte[] payload, int qos, bool retain, bool dup, int packetId)
        {
            return WritePublish(buffer, offset, topic, payload, qos, retain, dup, packetId, null, 0, false);
        }

        private static int WritePublish(byte[] buffer, int offset, string topic, byte[] payload, int qos, bool retain, bool dup, int packetId, NanoProperties properties, int topicAlias, bool v5)
        {
            if (!v5 || topic == null || topic.Length > 0 || topicAlias == 0)
            {
                WireFormat.EnsureTopicName(topic, "PUBLISH topic"); // MQTT 5: empty only when a Topic Alias stands for it [MQTT-3.3.2-8]
            }

            int topicLength = WireFormat.MeasureString(topic, "PUBLISH topic");
            EnsureQos(qos, "PUBLISH");
            if (qos > 0)
            {
                // Constant strings: a message built here would be built (and allocated) for every PUBLISH sent.
                WireFormat.EnsurePacketId(packetId, qos == 1 ? "PUBLISH at QoS 1" : "PUBLISH at QoS 2");
            }
            else if (packetId != 0 || dup)
            {
                throw new ArgumentException("PUBLISH at QoS 0 carries no packet identifier and no DUP flag [MQTT-2.3.1-5], [MQTT-3.3.1-2]. Set PacketId to 0 and DUP to false, or raise the QoS.");
            }

            int payloadLength = payload == null ? 0 : payload.Length;
            int propertiesLength = v5 ? NanoPropertyWriter.Measure(properties, PropertyContext.Publish, "PUBLISH", topicAlias) : 0;
            long remaining = 2L + topicLength + (qos > 0 ? 2 : 0) + (v5 ? NanoPropertyWriter.SectionSize(propertiesLength) : 0) + payloadLength;
            if (remaining > WireFormat.MaxRemainingLength)
            {
                throw new ArgumentException("PUBLISH is larger than MQTT allows (256 MB). Send a smaller payload.");
            }

            if (!Fits(buffer, offset, (int)remaining))
            {
                return -1;
            }

            int first = 0x30 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 0x01 : 0);
            int at = WireFormat.WriteHeader(buffer, offset, first, (int)remaining);
            at = WireFormat.WriteString(buffer, at, topic, topicLength);
            if (qos > 0)
            {
                at = WireFormat.WriteUInt16(buffer, at, packetId);
            }

            if (v5)
            {
                at = NanoPropertyWriter.Write(buffer, at, properties, propertiesLength, PropertyContext.Publish, topicAlias);
            }

            if (payloadLength > 0)
            {
                Array.Copy(payload, 0, buffer, at, payloadLength);
                at += payloadLength;
            }

            return at - offset;
        }

        /// <summary>PUBACK [MQTT-3.4].</summary>
        public static int WritePubAck(byte[] buffer, int offset, int packetId)
        {
            return WriteIdOnly(buffer, offset, 0x40, packetId, "PUBACK");
        }

        /// <summary>PUBREC [MQTT-3.5]: the answer to a QoS 2 PUBLISH.</summary>
        public static int WritePubRec(byte[] buffer, int offset, int packetId)
        {
            return WriteIdOnly(buffer, offset, 0x50, packetId, "PUBREC");
        }

        /// <summary>PUBREL [MQTT-3.6]: fixed-header flags 0010 [MQTT-3.6.1-1].</summary>
        public static int WritePubRel(byte[] buffer, int offset, int packetId)
        {
            return WriteIdOnly(buffer, offset, 0x62, packetId, "PUBREL");
        }

        /// <summary>PUBCOMP [MQTT-3.7]: the answer to a PUBREL.</summary>
        public static int WritePubComp(byte[] buffer, int offset, int packetId)
        {
            return WriteIdOnly(buffer, offset, 0x70, packetId, "PUBCOMP");
        }

        /// <summary>SUBSCRIBE [MQTT-3.8]: one or more filters [MQTT-3.8.3-3], each with its requested QoS.</summary>
        public static int WriteSubscribe(byte[] buffer, int offset, int packetId, string[] filters, byte[] qos)
        {
            if (qos == null)
            {
                throw new ArgumentException("SUBSCRIBE needs one QoS per topic filter.");
            }

            int[] values = new int[qos.Length];
            for (int i = 0; i < qos.Length; i++)
            {
                values[i] = qos[i];
            }

            return WriteSubscribe(buffer, offset, packetId, filters, values);
        }

        /// <summary>SUBSCRIBE [MQTT-3.8]: one or more filters [MQTT-3.8.3-3], each with its requested QoS (as the engine's requests hold them).</summary>
        public static int WriteSubscribe(byte[] buffer, int offset, int packetId, string[] filters, int[] qos)
        {
            WireFormat.EnsurePacketId(packetId, "SUBSCRIBE");
            if (filters == null || filters.Length == 0 || qos == null || qos.Length != filters.Length)
            {
                throw new ArgumentException("SUBSCRIBE needs at least one topic filter [MQTT-3.8.3-3] and one QoS per filter.");
            }

            long remaining = 2;
            for (int i = 0; i < filters.Length; i++)
            {
                remaining += 2 + MeasureFilter(filters[i], "SUBSCRIBE topic filter") + 1;
                EnsureQos(qos[i], "SUBSCRIBE");
            }

            return WriteFilters(buffer, offset, 0x82, packetId, filters, qos, null, remaining, null, -1);
        }

        /// <summary>UNSUBSCRIBE [MQTT-3.10]: one or more filters [MQTT-3.10.3-2].</summary>
        public static int WriteUnsubscribe(byte[] buffer, int offset, int packetId, string[] filters)
        {
            WireFormat.EnsurePacketId(packetId, "UNSUBSCRIBE");
            if (filters == null || filters.Length == 0)
            {
                throw new ArgumentException("UNSUBSCRIBE needs at least one topic filter [MQTT-3.10.3-2].");
            }

            long remaining = 2;
            for (int i = 0; i < filters.Length; i++)
            {
                remaining += 2 + MeasureFilter(filters[i], "UNSUBSCRIBE topic filter");
            }

            return WriteFilters(buffer, offset, 0xA2, packetId, filters, null, null, remaining, null, -1);
        }

        /// <summary>
        /// MQTT 5 DISCONNECT with <paramref name="reasonCode"/> and no properties (the property length may be left out when
        /// nothing follows the reason code, 3.14.2.2.1); returns its length or -1 when it does not fit.
        /// </summary>
        public static int WriteDisconnect(byte[] buffer, int offset, int reasonCode)
        {
            if (buffer.Length - offset < 3)
            {
                return -1;
            }

            buffer[offset] = 0xE0;
            buffer[offset + 1] = 0x01;
            buffer[offset + 2] = (byte)reasonCode;
            return 3;
        }

        /// <summary>Copies a fixed packet (PingReq, Disconnect); returns its length or -1 when it does not fit.</summary>
        public static int WriteFixed(byte[] buffer, int offset, byte[] packet)
        {
            if (buffer.Length - offset < packet.Length)
            {
                return -1;
            }

            Array.Copy(packet, 0, buffer, offset, packet.Length);
            return packet.Length;
        }

        /// <summary>SUBSCRIBE and UNSUBSCRIBE; <paramref name="propertiesLength"/> -1 under 3.1.1 (no property section).</summary>
        private static int WriteFilters(byte[] buffer, int offset, int first, int packetId, string[] filters, int[] qos, int[] options, long remaining, NanoProperties properties, int propertiesLength)
        {
            PropertyContext context = first == 0x82 ? PropertyContext.Subscribe : PropertyContext.Unsubscribe;
            if (propertiesLength >= 0)
            {
                remaining += NanoPropertyWriter.SectionSize(propertiesLength);
            }

            if (remaining > WireFormat.MaxRemainingLength)
            {
                throw new ArgumentException("The topic filters are larger than MQTT allows in one packet. Send fewer at a time.");
            }

            if (!Fits(buffer, offset, (int)remaining))
            {
                return -1;
            }

            int at = WireFormat.WriteHeader(buffer, offset, first, (int)remaining);
            at = WireFormat.WriteUInt16(buffer, at, packetId);
            if (propertiesLength >= 0)
            {
                at = NanoPropertyWriter.Write(buffer, at, properties, propertiesLength, context, 0);
            }

            for (int i = 0; i < filters.Length; i++)
            {
                at = WireFormat.WriteString(buffer, at, filters[i], Utf8.Measure(filters[i]));
                if (qos != null)
                {
                    buffer[at++] = (byte)(qos[i] | (options == null ? 0 : options[i]));
                }
            }

            return at - offset;
        }

        private static int WriteIdOnly(byte[] buffer, int offset, int first, int packetId, string what)
        {
            WireFormat.EnsurePacketId(packetId, what);
            if (!Fits(buffer, offset, 2))
            {
                return -1;
            }

            int at = WireFormat.WriteHeader(buffer, offset, first, 2);
            return WireFormat.WriteUInt16(buffer, at, packetId) - offset;
        }

        private static int MeasureFilter(string filter, string what)
        {
            int length = WireFormat.MeasureString(filter, what);
            if (length == 0)
            {
                throw new ArgumentException("A " + what + " is empty; topic filters must be at least one character [MQTT-4.7.3-1].");
            }

            return length;
        }

        private static bool Fits(byte[] buffer, int offset, int remaining)
        {
            return buffer.Length - offset >= 1 + WireFormat.RemainingLengthSize(remaining) + remaining;
        }

        private static void EnsureQos(int qos, string what)
        {
            if (qos < 0 || qos > 2)
            {
                throw new ArgumentException(what + " QoS must be 0, 1 or 2, not " + qos.ToString() + " [MQTT-3.3.1-4].");
            }
        }

        private static void EnsureBinary(byte[] data, string what)
        {
            if (data.Length > 65535)
            {
                throw new ArgumentException("The " + what + " is longer than 65,535 bytes [MQTT-1.5.6]. Shorten it.");
            }
        }
    }
}
