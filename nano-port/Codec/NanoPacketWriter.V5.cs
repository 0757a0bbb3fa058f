using System;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Codec
{
    // MQTT 5 encodings of the packets a device sends whose layout differs from 3.1.1: each gains a property section, held
    // to spec/'s PropertyTable before a byte is written. PUBACK, PUBREC, PUBREL, PUBCOMP, PINGREQ and DISCONNECT with
    // reason code 0 and no properties are the 3.1.1 bytes [MQTT-3.4.2.1], [MQTT-3.14.2.1]: the 3.1.1 writers serve.
    public static partial class NanoPacketWriter
    {
        private const int SubscriptionOptionBits = 0x04 | 0x08 | 0x30; // No Local, Retain As Published, Retain Handling

        /// <summary>
        /// MQTT 5 CONNECT [MQTT-3.1]: protocol level 5, Clean Start <paramref name="cleanStart"/>, <paramref name="clientIdentifier"/>
        /// (which may be empty: the broker assigns one), the other fields of <paramref name="connect"/>, and
        /// <paramref name="properties"/> (Session Expiry Interval, Request Problem Information, Request Response Information,
        /// Receive Maximum, Maximum Packet Size, Topic Alias Maximum, User Properties; null for none). A will goes with
        /// <see cref="NanoConnectOptions.WillProperties"/>; a password may go without a user name.
        /// </summary>
        public static int WriteConnect5(byte[] buffer, int offset, NanoConnectOptions connect, string clientIdentifier, bool cleanStart, NanoProperties properties)
        {
            return WriteConnect(buffer, offset, connect, clientIdentifier, cleanStart, properties, true);
        }

        /// <summary>
        /// MQTT 5 PUBLISH [MQTT-3.3] with the message's <paramref name="properties"/> (null for none) and a Topic Alias
        /// (<paramref name="topicAlias"/>, 0 for none); <paramref name="topic"/> may be empty only with an alias the broker
        /// already has for it [MQTT-3.3.2-8].
        /// </summary>
        public static int WritePublish5(byte[] buffer, int offset, string topic, byte[] payload, int qos, bool retain, bool dup, int packetId, NanoProperties properties, int topicAlias)
        {
            return WritePublish(buffer, offset, topic, payload, qos, retain, dup, packetId, properties, topicAlias, true);
        }

        /// <summary>
        /// MQTT 5 SUBSCRIBE [MQTT-3.8]: each filter's Subscription Options byte is its QoS with its <paramref name="options"/>
        /// bits (No Local 0x04, Retain As Published 0x08, Retain Handling 0x10 or 0x20; null for none) [MQTT-3.8.3.1], and
        /// <paramref name="properties"/> may carry one Subscription Identifier and User Properties (null for none).
        /// </summary>
        public static int WriteSubscribe5(byte[] buffer, int offset, int packetId, string[] filters, int[] qos, int[] options, NanoProperties properties)
        {
            WireFormat.EnsurePacketId(packetId, "SUBSCRIBE");
            if (filters == null || filters.Length == 0 || qos == null || qos.Length != filters.Length || (options != null && options.Length != filters.Length))
            {
                throw new ArgumentException("SUBSCRIBE needs at least one topic filter [MQTT-3.8.3-3], one QoS per filter, and options for each filter or none.");
            }

            long remaining = 2;
            for (int i = 0; i < filters.Length; i++)
            {
                remaining += 2 + MeasureFilter(filters[i], "SUBSCRIBE topic filter") + 1;
                EnsureQos(qos[i], "SUBSCRIBE");
                int bits = options == null ? 0 : options[i];
                if ((bits & ~SubscriptionOptionBits) != 0 || (bits & 0x30) == 0x30)
                {
                    throw new ArgumentException("SUBSCRIBE options 0x" + bits.ToString("X2") + " for \"" + filters[i] + "\" are not No Local (0x04), Retain As Published (0x08) and Retain Handling 0, 1 or 2 (0x00, 0x10, 0x20) [MQTT-3.8.3-5].");
                }
            }

            int propertiesLength = NanoPropertyWriter.Measure(properties, PropertyContext.Subscribe, "SUBSCRIBE", 0);
            return WriteFilters(buffer, offset, 0x82, packetId, filters, qos, options, remaining, properties, propertiesLength);
        }

        /// <summary>MQTT 5 UNSUBSCRIBE [MQTT-3.10]: the 3.1.1 layout with <paramref name="properties"/> (User Properties; null for none).</summary>
        public static int WriteUnsubscribe5(byte[] buffer, int offset, int packetId, string[] filters, NanoProperties properties)
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

            int propertiesLength = NanoPropertyWriter.Measure(properties, PropertyContext.Unsubscribe, "UNSUBSCRIBE", 0);
            return WriteFilters(buffer, offset, 0xA2, packetId, filters, null, null, remaining, properties, propertiesLength);
        }
    }
}
