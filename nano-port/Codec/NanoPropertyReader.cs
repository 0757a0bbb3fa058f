using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Codec
{
    /// <summary>
    /// Reads an MQTT 5 property section and holds it to spec/'s PropertyTable for the packet it came in. Anything the table
    /// forbids — an identifier MQTT 5 does not define, a property that packet may not carry, a second copy of one that may
    /// not repeat, a value out of range, a length that overruns — throws NanoProtocolException: the link closes [MQTT-4.13].
    /// </summary>
    internal static class NanoPropertyReader
    {
        /// <summary>
        /// Reads the section at <paramref name="at"/> (its length, then that many bytes, all before <paramref name="end"/>);
        /// null when it is empty, so a packet without properties allocates nothing.
        /// </summary>
        public static NanoProperties Read(byte[] buffer, ref int at, int end, PropertyContext context, string packet)
        {
            int length = ReadVariable(buffer, ref at, end, packet + " property length");
            if (length > end - at)
            {
                throw new NanoProtocolException("The " + packet + " properties (" + length.ToString() + " bytes) run past the end of the packet: the packet is malformed.");
            }

            if (length == 0)
            {
                return null;
            }

            int stop = at + length;
            NanoProperties properties = new NanoProperties();
            long seen = 0; // one bit per identifier: every defined one is below 0x40
            while (at < stop)
            {
                int id = ReadVariable(buffer, ref at, stop, packet + " property identifier");
                PropertyRow row = PropertyTable.Find(Mqtt5Tables.Properties, id);
                if (row == null)
                {
                    throw new NanoProtocolException(packet + " carries property identifier 0x" + id.ToString("X2") + ", which MQTT 5 does not define [MQTT-2.2.2.2]: the packet is malformed.");
                }

                if ((row.AllowedIn & context) == 0)
                {
                    throw new NanoProtocolException(packet + " carries the " + NanoPropertyWriter.Name(row.Id) + " property, which it may not [MQTT-2.2.2.2]: a protocol error.");
                }

                long bit = 1L << id;
                if ((seen & bit) != 0 && (row.RepeatableIn & context) == 0)
                {
                    throw new NanoProtocolException(packet + " carries the " + NanoPropertyWriter.Name(row.Id) + " property more than once, which is a protocol error [MQTT-2.2.2.2].");
                }

                seen |= bit;
                Store(properties, row, buffer, ref at, stop, packet);
            }

            // Authentication Data is its Authentication Method's (MQTT 5, 3.1.2.11.10, 3.2.2.3.18, 3.15.2.2.3); neither is
            // kept, so the bits seen are what is checked.
            if ((seen & (1L << (int)PropertyId.AuthenticationData)) != 0 && (seen & (1L << (int)PropertyId.AuthenticationMethod)) == 0)
            {
                throw new NanoProtocolException(packet + " carries Authentication Data but no Authentication Method: a protocol error (MQTT 5, "
                    + (context == PropertyContext.ConnAck ? "3.2.2.3.18" : context == PropertyContext.Auth ? "3.15.2.2.3" : "3.1.2.11.10") + ").");
            }

            return properties;
        }

        /// <summary>
        /// Reads a Variable Byte Integer of at most four bytes [MQTT-1.5.5], in no more bytes than its value needs
        /// [MQTT-1.5.5-1]: only MQTT 5 has them in a packet's body, so that rule always applies.
        /// </summary>
        public static int ReadVariable(byte[] buffer, ref int at, int end, string what)
        {
            int value = 0;
            for (int i = 0; i < 4; i++)
            {
                if (at >= end)
                {
                    throw new NanoProtocolException("The " + what + " runs past the end of its packet: the packet is truncated.");
                }

                int digit = buffer[at++];
                value |= (digit & 0x7F) << (7 * i);
                if ((digit & 0x80) == 0)
                {
                    if (digit == 0 && i > 0)
                    {
                        throw NotMinimal(what);
                    }

                    return value;
                }
            }

            throw new NanoProtocolException("The " + what + " is a Variable Byte Integer longer than four bytes [MQTT-1.5.5]: the packet is malformed.");
        }

        /// <summary>The refusal of a Variable Byte Integer in more bytes than its value needs (0x80 0x00 for 0).</summary>
        internal static NanoProtocolException NotMinimal(string what)
        {
            return new NanoProtocolException("The " + what + " is a Variable Byte Integer in more bytes than its value needs; MQTT 5 requires the minimum number of bytes [MQTT-1.5.5-1]: the packet is malformed.");
        }

        private static void Store(NanoProperties p, PropertyRow row, byte[] buffer, ref int at, int end, string packet)
        {
            string what = packet + " " + row.Id.ToString();
            switch (row.Type)
            {
                case PropertyType.Utf8String:
                    StoreText(p, row.Id, NanoPacketReader.ReadString(buffer, ref at, end, what));
                    return;
                case PropertyType.Utf8StringPair:
                    string name = NanoPacketReader.ReadString(buffer, ref at, end, what + " name");
                    p.AddUserProperty(name, NanoPacketReader.ReadString(buffer, ref at, end, what + " value"));
                    return;
                case PropertyType.BinaryData:
                    byte[] data = NanoPacketReader.ReadBinary(buffer, ref at, end, what);
                    if (row.Id == PropertyId.CorrelationData)
                    {
                        p.CorrelationData = data;
                    }

                    return; // Authentication Data: checked, not kept
                default:
                    StoreNumber(p, row.Id, InRange(ReadNumber(row.Type, buffer, ref at, end, what), row, packet));
                    return;
            }
        }

        private static long ReadNumber(PropertyType type, byte[] buffer, ref int at, int end, string what)
        {
            switch (type)
            {
                case PropertyType.Byte:
                    if (at >= end)
                    {
                        throw new NanoProtocolException("The " + what + " runs past the end of its packet: the packet is truncated.");
                    }

                    return buffer[at++];
                case PropertyType.TwoByteInteger:
                    return NanoPacketReader.ReadUInt16(buffer, ref at, end, what);
                case PropertyType.FourByteInteger:
                    long high = NanoPacketReader.ReadUInt16(buffer, ref at, end, what);
                    return (high << 16) | (long)NanoPacketReader.ReadUInt16(buffer, ref at, end, what);
                default:
                    return ReadVariable(buffer, ref at, end, what);
            }
        }

        private static long InRange(long value, PropertyRow row, string packet)
        {
            if (value < row.Minimum || value > row.Maximum)
            {
                throw new NanoProtocolException(packet + " " + NanoPropertyWriter.Name(row.Id) + " is " + value.ToString() + ", outside " + row.Minimum.ToString() + " to "
                    + row.Maximum.ToString() + " (" + row.Rule + "): a protocol error.");
            }

            return value;
        }

        private static void StoreText(NanoProperties p, PropertyId id, string value)
        {
            switch (id)
            {
                case PropertyId.ContentType: p.ContentType = value; break;
                case PropertyId.ResponseTopic: p.ResponseTopic = value; break;
                case PropertyId.AssignedClientIdentifier: p.AssignedClientIdentifier = value; break;
                case PropertyId.ServerReference: p.ServerReference = value; break;
                case PropertyId.ReasonString: p.ReasonString = value; break;
                case PropertyId.ResponseInformation: p.ResponseInformation = value; break;
                default: break; // Authentication Method: checked, not kept
            }
        }

        private static void StoreNumber(NanoProperties p, PropertyId id, long value)
        {
            switch (id)
            {
                case PropertyId.PayloadFormatIndicator: p.PayloadFormatIndicator = (int)value; break;
                case PropertyId.MessageExpiryInterval: p.MessageExpiryInterval = value; break;
                case PropertyId.SubscriptionIdentifier: p.AddSubscriptionIdentifier((int)value); break;
                case PropertyId.SessionExpiryInterval: p.SessionExpiryInterval = value; break;
                case PropertyId.ServerKeepAlive: p.ServerKeepAlive = (int)value; break;
                case PropertyId.ReceiveMaximum: p.ReceiveMaximum = (int)value; break;
                case PropertyId.TopicAliasMaximum: p.TopicAliasMaximum = (int)value; break;
                case PropertyId.TopicAlias: p.TopicAlias = (int)value; break;
                case PropertyId.MaximumPacketSize: p.MaximumPacketSize = value; break;
                default: break; // the "available" flags, Maximum QoS, the request flags, Will Delay: checked, not kept
            }
        }
    }
}
