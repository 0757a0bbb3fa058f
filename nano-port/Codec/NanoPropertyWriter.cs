using System;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Codec
{
    /// <summary>
    /// Measures and writes an MQTT 5 property section (its Variable Byte Integer length, then each property) [MQTT-2.2.2],
    /// held to spec/'s PropertyTable for the packet it goes in. Measuring checks everything and throws ArgumentException
    /// naming the property and what to change; writing then cannot fail. Properties go in the table's order, the order
    /// core's encoder uses, so both codecs write the same bytes.
    /// </summary>
    internal static class NanoPropertyWriter
    {
        private const long FourByteMaximum = 4294967295L;

        /// <summary>The bytes of the properties alone (what the length field says) of <paramref name="properties"/> (may be null) and a Topic Alias (0: none).</summary>
        public static int Measure(NanoProperties properties, PropertyContext context, string packet, int topicAlias)
        {
            return Walk(properties, context, packet, topicAlias, null, 0);
        }

        /// <summary>The whole section's size: the length field and <paramref name="length"/> bytes.</summary>
        public static int SectionSize(int length)
        {
            return WireFormat.RemainingLengthSize(length) + length;
        }

        /// <summary>Writes the section <see cref="Measure"/> measured at <paramref name="length"/> bytes; returns the offset after it.</summary>
        public static int Write(byte[] buffer, int at, NanoProperties properties, int length, PropertyContext context, int topicAlias)
        {
            at = WireFormat.WriteVariable(buffer, at, length);
            return length == 0 ? at : Walk(properties, context, null, topicAlias, buffer, at);
        }

        // One walk for both jobs: with no buffer it checks and counts, with one it writes (already checked).
        private static int Walk(NanoProperties p, PropertyContext context, string packet, int topicAlias, byte[] buffer, int at)
        {
            if (p != null)
            {
                at = Number(PropertyId.PayloadFormatIndicator, p.PayloadFormatIndicator, 1, context, packet, buffer, at);
                at = Number(PropertyId.MessageExpiryInterval, p.MessageExpiryInterval, 4, context, packet, buffer, at);
                at = Text(PropertyId.ContentType, p.ContentType, context, packet, buffer, at);
                if (buffer == null && p.ResponseTopic != null)
                {
                    string problem = WireFormat.TopicNameProblem(p.ResponseTopic, packet + " Response Topic");
                    if (problem != null)
                    {
                        throw new ArgumentException(problem + " A responder publishes to it, so it must be a topic name.");
                    }
                }

                at = Text(PropertyId.ResponseTopic, p.ResponseTopic, context, packet, buffer, at);
                at = Binary(PropertyId.CorrelationData, p.CorrelationData, context, packet, buffer, at);
                int[] identifiers = p.SubscriptionIdentifiers;
                if (identifiers != null)
                {
                    if (buffer == null && identifiers.Length > 1 && (Mqtt5Tables.Property(PropertyId.SubscriptionIdentifier).RepeatableIn & context) == 0)
                    {
                        throw new ArgumentException(packet + " may carry one Subscription Identifier, not " + identifiers.Length.ToString() + " [MQTT-3.8.2.1.2]. Keep one.");
                    }

                    for (int i = 0; i < identifiers.Length; i++)
                    {
                        at = Number(PropertyId.SubscriptionIdentifier, identifiers[i], 0, context, packet, buffer, at);
                    }
                }

                at = Number(PropertyId.SessionExpiryInterval, p.SessionExpiryInterval, 4, context, packet, buffer, at);
                at = Text(PropertyId.AssignedClientIdentifier, p.AssignedClientIdentifier, context, packet, buffer, at);
                at = Number(PropertyId.ServerKeepAlive, p.ServerKeepAlive, 2, context, packet, buffer, at);
                at = Number(PropertyId.RequestProblemInformation, p.RequestProblemInformation, 1, context, packet, buffer, at);
                at = Number(PropertyId.WillDelayInterval, p.WillDelayInterval, 4, context, packet, buffer, at);
                at = Number(PropertyId.RequestResponseInformation, p.RequestResponseInformation, 1, context, packet, buffer, at);
                at = Text(PropertyId.ResponseInformation, p.ResponseInformation, context, packet, buffer, at);
                at = Text(PropertyId.ServerReference, p.ServerReference, context, packet, buffer, at);
                at = Text(PropertyId.ReasonString, p.ReasonString, context, packet, buffer, at);
                at = Number(PropertyId.ReceiveMaximum, p.ReceiveMaximum, 2, context, packet, buffer, at);
                at = Number(PropertyId.TopicAliasMaximum, p.TopicAliasMaximum, 2, context, packet, buffer, at);
            }

            // The client's own alias wins over one in the set (Publish refuses a set that has one).
            int alias = topicAlias != 0 ? topicAlias : p == null || p.TopicAlias == 0 ? -1 : p.TopicAlias;
            at = Number(PropertyId.TopicAlias, alias, 2, context, packet, buffer, at);
            if (p != null)
            {
                NanoUserProperty[] pairs = p.UserProperties;
                if (pairs != null)
                {
                    for (int i = 0; i < pairs.Length; i++)
                    {
                        at = Pair(pairs[i], context, packet, buffer, at);
                    }
                }

                at = Number(PropertyId.MaximumPacketSize, p.MaximumPacketSize, 4, context, packet, buffer, at);
            }

            return at;
        }

        /// <summary>An integer property of <paramref name="size"/> bytes (0: a Variable Byte Integer); -1 is absent.</summary>
        private static int Number(PropertyId id, long value, int size, PropertyContext context, string packet, byte[] buffer, int at)
        {
            if (value == -1)
            {
                return at;
            }

            if (buffer == null)
            {
                PropertyRow row = Allowed(id, context, packet);
                if (value < row.Minimum || value > row.Maximum || value > FourByteMaximum)
                {
                    throw new ArgumentException("The " + packet + " property " + Name(id) + " is " + value.ToString() + "; it must be from "
                        + row.Minimum.ToString() + " to " + row.Maximum.ToString() + " (" + row.Rule + ").");
                }

                return at + 1 + (size == 0 ? WireFormat.RemainingLengthSize((int)value) : size);
            }

            buffer[at++] = (byte)id;
            switch (size)
            {
                case 0: return WireFormat.WriteVariable(buffer, at, (int)value);
                case 1: buffer[at] = (byte)value; return at + 1;
                case 2: return WireFormat.WriteUInt16(buffer, at, (int)value);
                default: return WireFormat.WriteUInt32(buffer, at, value);
            }
        }

        private static int Text(PropertyId id, string value, PropertyContext context, string packet, byte[] buffer, int at)
        {
            if (value == null)
            {
                return at;
            }

            if (buffer == null)
            {
                Allowed(id, context, packet);
                return at + 3 + WireFormat.MeasureString(value, packet + " property " + Name(id));
            }

            buffer[at++] = (byte)id;
            return WireFormat.WriteString(buffer, at, value, Utf8.Measure(value));
        }

        private static int Binary(PropertyId id, byte[] value, PropertyContext context, string packet, byte[] buffer, int at)
        {
            if (value == null)
            {
                return at;
            }

            if (buffer == null)
            {
                Allowed(id, context, packet);
                if (value.Length > 65535)
                {
                    throw new ArgumentException("The " + packet + " property " + Name(id) + " is " + value.Length.ToString() + " bytes; binary data holds at most 65,535 [MQTT-1.5.6]. Shorten it.");
                }

                return at + 3 + value.Length;
            }

            buffer[at++] = (byte)id;
            return WireFormat.WriteBinary(buffer, at, value);
        }

        private static int Pair(NanoUserProperty pair, PropertyContext context, string packet, byte[] buffer, int at)
        {
            if (buffer == null)
            {
                Allowed(PropertyId.UserProperty, context, packet);
                if (pair == null)
                {
                    throw new ArgumentException("The " + packet + " User Properties hold a null entry. Remove it, or give a name and a value.");
                }

                return at + 5 + WireFormat.MeasureString(pair.Name, packet + " User Property name") + WireFormat.MeasureString(pair.Value, packet + " User Property value");
            }

            buffer[at++] = (byte)PropertyId.UserProperty;
            at = WireFormat.WriteString(buffer, at, pair.Name, Utf8.Measure(pair.Name));
            return WireFormat.WriteString(buffer, at, pair.Value, Utf8.Measure(pair.Value));
        }

        private static PropertyRow Allowed(PropertyId id, PropertyContext context, string packet)
        {
            PropertyRow row = Mqtt5Tables.Property(id);
            if ((row.AllowedIn & context) == 0)
            {
                throw new ArgumentException("The " + Name(id) + " property is not allowed in " + packet + " [MQTT-2.2.2.2]. Remove it.");
            }

            return row;
        }

        /// <summary>A property's name for a message (an enum's name may print as its number on nanoFramework, so the byte goes too).</summary>
        internal static string Name(PropertyId id)
        {
            return id.ToString() + " (0x" + ((int)id).ToString("X2") + ")";
        }
    }
}
