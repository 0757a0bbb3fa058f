using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Protocol.Wire;

// SUBSCRIBE, SUBACK and UNSUBSCRIBE: lists that must not be empty, with filters and codes checked one by one.
internal static partial class PacketDecoder
{
    private static SubscribePacket ReadSubscribe(ref PacketBodyReader reader, MqttProtocolVersion version)
    {
        bool v5 = version == MqttProtocolVersion.V500;
        ushort packetId = reader.ReadPacketId();
        MqttProperties? properties = v5 ? Section(ref reader, PropertyContext.Subscribe, "SUBSCRIBE") : null;
        var subscriptions = new List<TopicSubscription>();
        while (reader.Remaining > 0)
        {
            string filter = reader.ReadString("topic filter");
            EnsureTopicFilter(filter, "SUBSCRIBE");
            byte options = reader.ReadByte(v5 ? "subscription options" : "requested QoS");
            int qos = options & 0x03;
            int retainHandling = (options >> 4) & 0x03;
            if (!v5 && options > 2)
            {
                throw new MqttProtocolException($"SUBSCRIBE requested QoS byte for \"{filter}\" is 0x{options:X2}; it must be 0, 1 or 2 with the upper 6 bits 0 [MQTT-3.8.3-4].");
            }

            if (qos == 3 || retainHandling == 3 || (options & 0xC0) != 0)
            {
                throw new MqttProtocolException($"SUBSCRIBE options byte for \"{filter}\" is 0x{options:X2}: QoS 3, Retain Handling 3 or a reserved bit set [MQTT-3.8.3-5].");
            }

            subscriptions.Add(new TopicSubscription(filter, (MqttQualityOfService)qos, (options & 0x04) != 0, (options & 0x08) != 0, retainHandling));
        }

        if (subscriptions.Count == 0)
        {
            throw new MqttProtocolException("SUBSCRIBE has no topic filters; it needs at least one [MQTT-3.8.3-3].");
        }

        return new SubscribePacket(packetId, subscriptions.ToArray(), properties);
    }

    private static SubAckPacket ReadSubAck(ref PacketBodyReader reader)
    {
        ushort packetId = reader.ReadPacketId();
        if (reader.Remaining == 0)
        {
            throw new MqttProtocolException("SUBACK has no return codes; it needs one per topic filter subscribed [MQTT-3.9.3-1].");
        }

        byte[] codes = new byte[reader.Remaining];
        for (int i = 0; i < codes.Length; i++)
        {
            byte code = reader.ReadByte("return code");
            if (code > 2 && code != SubAckPacket.Failure)
            {
                throw new MqttProtocolException($"SUBACK return code 0x{code:X2} is reserved; allowed are 0x00, 0x01, 0x02 and 0x80 [MQTT-3.9.3-2].");
            }

            codes[i] = code;
        }

        return new SubAckPacket(packetId, codes);
    }

    private static UnsubscribePacket ReadUnsubscribe(ref PacketBodyReader reader, MqttProtocolVersion version)
    {
        ushort packetId = reader.ReadPacketId();
        MqttProperties? properties = version == MqttProtocolVersion.V500 ? Section(ref reader, PropertyContext.Unsubscribe, "UNSUBSCRIBE") : null;
        var filters = new List<string>();
        while (reader.Remaining > 0)
        {
            string filter = reader.ReadString("topic filter");
            EnsureTopicFilter(filter, "UNSUBSCRIBE");
            filters.Add(filter);
        }

        if (filters.Count == 0)
        {
            throw new MqttProtocolException("UNSUBSCRIBE has no topic filters; it needs at least one [MQTT-3.10.3-2].");
        }

        return new UnsubscribePacket(packetId, filters.ToArray(), properties);
    }

    private static void EnsureTopicFilter(string filter, string packetName)
    {
        if (filter.Length == 0)
        {
            throw new MqttProtocolException($"{packetName} has an empty topic filter; filters must be at least one character [MQTT-4.7.3-1].");
        }

        switch (TopicRules.FindFilterProblem(filter))
        {
            case TopicFilterProblem.MisplacedMultiLevelWildcard:
                throw new MqttProtocolException($"{packetName} topic filter \"{filter}\" has a '#' that is not a whole, last level [MQTT-4.7.1-2].");
            case TopicFilterProblem.PartialSingleLevelWildcard:
                throw new MqttProtocolException($"{packetName} topic filter \"{filter}\" has a '+' that does not fill a whole level [MQTT-4.7.1-3].");
            case TopicFilterProblem.None:
                break;
        }
    }
}
