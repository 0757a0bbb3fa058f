using System.Buffers;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Protocol.Wire;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Protocol;

// SUBSCRIBE, SUBACK and UNSUBSCRIBE: lists measured and checked first, then written in one pass. MQTT 5 adds a property
// section after the packet identifier and subscription options beside the QoS.
internal static partial class MqttPacketWriter
{
    private static void WriteSubscribe(SubscribePacket packet, IBufferWriter<byte> output, MqttProtocolVersion version)
    {
        bool v5 = version == MqttProtocolVersion.V500;
        EnsurePacketId(packet.PacketId, "SUBSCRIBE");
        if (packet.Subscriptions is null || packet.Subscriptions.Count == 0)
        {
            throw Invalid("SUBSCRIBE needs at least one topic filter [MQTT-3.8.3-3].");
        }

        int count = packet.Subscriptions.Count;
        int propertiesLength = v5 ? Measure(packet.Properties, PropertyContext.Subscribe, "SUBSCRIBE") : 0;
        int[] filterBytes = ArrayPool<int>.Shared.Rent(count);
        try
        {
            long remaining = 2 + (v5 ? PropertyEncoder.SectionSize(propertiesLength) : 0);
            for (int i = 0; i < count; i++)
            {
                TopicSubscription subscription = packet.Subscriptions[i]
                    ?? throw Invalid($"SUBSCRIBE subscription {i} is null.");
                TopicValidation.EnsureTopicFilter(subscription.TopicFilter, Parameter);
                filterBytes[i] = MqttStrings.MeasureForWriting(subscription.TopicFilter, "SUBSCRIBE topic filter", Parameter);
                EnsureQualityOfService(subscription.QualityOfService, "SUBSCRIBE", subscription.TopicFilter);
                if (subscription.RetainHandling is < 0 or > 2)
                {
                    throw Invalid($"SUBSCRIBE to \"{subscription.TopicFilter}\" has Retain Handling {subscription.RetainHandling}; it must be 0, 1 or 2 [MQTT-3.8.3-5].");
                }

                remaining += 2 + filterBytes[i] + 1;
            }

            EnsureRemainingLength(remaining, "SUBSCRIBE");
            var cursor = new BufferWriterCursor(output, SizeHint(remaining));
            cursor.WriteFixedHeader(0x82, (int)remaining);
            cursor.WriteUInt16(packet.PacketId);
            if (v5)
            {
                WriteSection(ref cursor, packet.Properties, propertiesLength);
            }

            for (int i = 0; i < count; i++)
            {
                // The options byte: QoS in bits 0-1; MQTT 5's other options above them (3.1.1 refused them already).
                TopicSubscription s = packet.Subscriptions[i];
                cursor.WriteString(s.TopicFilter, filterBytes[i]);
                cursor.WriteByte((byte)((int)s.QualityOfService | (s.NoLocal ? 0x04 : 0) | (s.RetainAsPublished ? 0x08 : 0) | (s.RetainHandling << 4)));
            }

            cursor.Commit();
        }
        finally
        {
            ArrayPool<int>.Shared.Return(filterBytes);
        }
    }

    private static void WriteSubAck(SubAckPacket packet, IBufferWriter<byte> output)
    {
        EnsurePacketId(packet.PacketId, "SUBACK");
        if (packet.ReturnCodes is null || packet.ReturnCodes.Count == 0)
        {
            throw Invalid("SUBACK needs one return code per topic filter of the SUBSCRIBE it answers, so at least one [MQTT-3.9.3-1].");
        }

        int count = packet.ReturnCodes.Count;
        for (int i = 0; i < count; i++)
        {
            byte code = packet.ReturnCodes[i];
            if (code > 2 && code != SubAckPacket.Failure)
            {
                throw Invalid($"SUBACK return code 0x{code:X2} (index {i}) is reserved; use 0, 1, 2 (granted QoS) or 0x80 (failure) [MQTT-3.9.3-2].");
            }
        }

        long remaining = 2L + count;
        EnsureRemainingLength(remaining, "SUBACK");
        var cursor = new BufferWriterCursor(output, SizeHint(remaining));
        cursor.WriteFixedHeader(0x90, (int)remaining);
        cursor.WriteUInt16(packet.PacketId);
        for (int i = 0; i < count; i++)
        {
            cursor.WriteByte(packet.ReturnCodes[i]);
        }

        cursor.Commit();
    }

    private static void WriteUnsubscribe(UnsubscribePacket packet, IBufferWriter<byte> output, MqttProtocolVersion version)
    {
        bool v5 = version == MqttProtocolVersion.V500;
        EnsurePacketId(packet.PacketId, "UNSUBSCRIBE");
        if (packet.TopicFilters is null || packet.TopicFilters.Count == 0)
        {
            throw Invalid("UNSUBSCRIBE needs at least one topic filter [MQTT-3.10.3-2].");
        }

        int count = packet.TopicFilters.Count;
        int propertiesLength = v5 ? Measure(packet.Properties, PropertyContext.Unsubscribe, "UNSUBSCRIBE") : 0;
        int[] filterBytes = ArrayPool<int>.Shared.Rent(count);
        try
        {
            long remaining = 2 + (v5 ? PropertyEncoder.SectionSize(propertiesLength) : 0);
            for (int i = 0; i < count; i++)
            {
                TopicValidation.EnsureTopicFilter(packet.TopicFilters[i], Parameter);
                filterBytes[i] = MqttStrings.MeasureForWriting(packet.TopicFilters[i], "UNSUBSCRIBE topic filter", Parameter);
                remaining += 2 + filterBytes[i];
            }

            EnsureRemainingLength(remaining, "UNSUBSCRIBE");
            var cursor = new BufferWriterCursor(output, SizeHint(remaining));
            cursor.WriteFixedHeader(0xA2, (int)remaining);
            cursor.WriteUInt16(packet.PacketId);
            if (v5)
            {
                WriteSection(ref cursor, packet.Properties, propertiesLength);
            }

            for (int i = 0; i < count; i++)
            {
                cursor.WriteString(packet.TopicFilters[i], filterBytes[i]);
            }

            cursor.Commit();
        }
        finally
        {
            ArrayPool<int>.Shared.Return(filterBytes);
        }
    }
}
