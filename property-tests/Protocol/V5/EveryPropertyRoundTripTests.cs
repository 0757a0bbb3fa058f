using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Protocol.V5;

/// <summary>
/// Every property of spec/'s PropertyTable, at its bounds, in every packet that may carry it, through the whole writer and
/// reader: enumerated rather than drawn, so no (property, packet) pair is left to chance and a new table row is covered at
/// once. Each also pins <see cref="HostileV5Packets"/>' templates to what the writer writes around a section.
/// </summary>
public sealed class EveryPropertyRoundTripTests
{
    public static TheoryData<PropertyId, PropertyContext> AllowedPlaces()
    {
        var data = new TheoryData<PropertyId, PropertyContext>();
        foreach (PropertyRow row in HostileV5Packets.Rows)
        {
            foreach (PropertyContext context in HostileV5Packets.Contexts.Where(c => (row.AllowedIn & c) != 0))
            {
                data.Add(row.Id, context);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllowedPlaces))]
    public void Every_property_at_its_bounds_round_trips_in_every_packet_that_may_carry_it(PropertyId id, PropertyContext context)
    {
        PropertyRow row = PropertyTable.Find(HostileV5Packets.Rows, (int)id)!;
        foreach (object value in BoundValues(row))
        {
            var set = new MqttProperties();
            set.Add(id, value);
            if (id == PropertyId.AuthenticationData)
            {
                set.AuthenticationMethod = "SCRAM-SHA-256"; // data goes only with its method (3.1.2.11.10)
            }

            if ((row.RepeatableIn & context) != 0)
            {
                set.Add(id, value); // a repeatable one twice: both kept, in order
            }

            MqttPacket packet = PacketFor(context, set);
            byte[] bytes = Mqtt5Packets.Encode(packet);
            Assert.Equal(Convert.ToHexString(HostileV5Packets.Packet(context, PropertySets.Encode(set, context))), Convert.ToHexString(bytes));

            MqttPacket decoded = HostileV5Packets.Accept(bytes);
            Assert.Equal(Mqtt5Packets.Describe(packet), Mqtt5Packets.Describe(decoded));
            Assert.Equal(bytes, Mqtt5Packets.Encode(decoded));
        }
    }

    [Theory]
    [MemberData(nameof(Places))]
    public void Every_template_with_an_empty_section_is_a_valid_packet(PropertyContext context)
    {
        // The control for the hostile tests: what they break is valid before they break it.
        HostileV5Packets.Accept(HostileV5Packets.Packet(context, [0x00]));
    }

    public static TheoryData<PropertyContext> Places() => [.. HostileV5Packets.Contexts];

    /// <summary>The packet of <paramref name="context"/>'s type, minimal, carrying <paramref name="set"/> there.</summary>
    internal static MqttPacket PacketFor(PropertyContext context, MqttProperties set) => context switch
    {
        PropertyContext.Connect => new ConnectPacket("c", CleanSession: true, KeepAliveSeconds: 60, Properties: set),
        PropertyContext.Will => new ConnectPacket("c", CleanSession: true, KeepAliveSeconds: 60, Will: new MqttWill("t", ReadOnlyMemory<byte>.Empty, MqttQualityOfService.AtMostOnce, false, set)),
        PropertyContext.ConnAck => new ConnAckPacket(false, ConnectReturnCode.Accepted, set),
        PropertyContext.Publish => new PublishPacket("t", "p"u8.ToArray(), MqttQualityOfService.AtLeastOnce, false, false, 1, set),
        PropertyContext.PubAck => new PubAckPacket(1, 0, set),
        PropertyContext.PubRec => new PubRecPacket(1, 0, set),
        PropertyContext.PubRel => new PubRelPacket(1, 0, set),
        PropertyContext.PubComp => new PubCompPacket(1, 0, set),
        PropertyContext.Subscribe => new SubscribePacket(1, [new TopicSubscription("t", MqttQualityOfService.AtLeastOnce)], set),
        PropertyContext.SubAck => new SubAckPacket(1, [0x00], set),
        PropertyContext.Unsubscribe => new UnsubscribePacket(1, ["t"], set),
        PropertyContext.UnsubAck => new UnsubAckPacket(1, [0x00], set),
        PropertyContext.Disconnect => new DisconnectPacket(0, set),
        PropertyContext.Auth => new AuthPacket(0, set),
        _ => throw new ArgumentOutOfRangeException(nameof(context), context, "not a single place"),
    };

    // The edges of each type: both ends of an integer's range; empty, non-ASCII and long (two-byte section length) text and data.
    private static IEnumerable<object> BoundValues(PropertyRow row)
    {
        string longText = new('x', 300);
        switch (row.Type)
        {
            case PropertyType.Byte: return [(byte)row.Minimum, (byte)row.Maximum];
            case PropertyType.TwoByteInteger: return [(ushort)row.Minimum, (ushort)row.Maximum];
            case PropertyType.FourByteInteger: return [(uint)row.Minimum, (uint)row.Maximum];
            case PropertyType.VariableByteInteger: return [(uint)row.Minimum, 127u, 128u, 16_383u, 16_384u, (uint)row.Maximum];
            case PropertyType.Utf8String:
                // A Response Topic is a topic name: never empty, never a wildcard [MQTT-3.3.2-13].
                return row.Id == PropertyId.ResponseTopic ? ["r", "température/€/漢字", longText] : ["", "température/€/漢字", longText];
            case PropertyType.Utf8StringPair: return [new MqttUserProperty("", ""), new MqttUserProperty("k", "température/€/漢字"), new MqttUserProperty(longText, "v")];
            default: return [(ReadOnlyMemory<byte>)Array.Empty<byte>(), (ReadOnlyMemory<byte>)Enumerable.Range(0, 300).Select(i => (byte)i).ToArray()];
        }
    }
}
