using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Spec;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Protocol.V5;

/// <summary>The MQTT 5 property codec against known bytes, and each rule of spec/'s PropertyTable, both ways.</summary>
public sealed class PropertyCodecTests
{
    public static TheoryData<PropertyId, PropertyContext> ForbiddenPlaces()
    {
        var data = new TheoryData<PropertyId, PropertyContext>();
        foreach (PropertyRow row in PropertySets.Rows)
        {
            foreach (PropertyContext context in PropertySets.Contexts.Where(c => (row.AllowedIn & c) == 0))
            {
                data.Add(row.Id, context);
            }
        }

        return data;
    }

    public static TheoryData<PropertyId, PropertyContext> SingleUsePlaces()
    {
        var data = new TheoryData<PropertyId, PropertyContext>();
        foreach (PropertyRow row in PropertySets.Rows)
        {
            foreach (PropertyContext context in PropertySets.Contexts.Where(c => (row.AllowedIn & c) != 0 && (row.RepeatableIn & c) == 0))
            {
                data.Add(row.Id, context);
            }
        }

        return data;
    }

    public static TheoryData<PropertyId, long> OutOfRange()
    {
        var data = new TheoryData<PropertyId, long>();
        foreach (PropertyRow row in PropertySets.Rows.Where(r => r.Type is PropertyType.Byte or PropertyType.TwoByteInteger or PropertyType.VariableByteInteger))
        {
            long widest = row.Type == PropertyType.Byte ? byte.MaxValue : row.Type == PropertyType.TwoByteInteger ? ushort.MaxValue : 268_435_455;
            if (row.Minimum > 0)
            {
                data.Add(row.Id, row.Minimum - 1);
            }

            if (row.Maximum < widest)
            {
                data.Add(row.Id, row.Maximum + 1);
            }
        }

        return data;
    }

    [Fact]
    public void Known_bytes_content_type_and_two_user_properties_in_a_PUBLISH()
    {
        var set = new MqttProperties { ContentType = "a" };
        set.UserProperties.Add(new("k", "v"));
        set.UserProperties.Add(new("k", "w"));

        byte[] section = PropertySets.Encode(set, PropertyContext.Publish);

        Assert.Equal([0x12, 0x03, 0x00, 0x01, (byte)'a', 0x26, 0x00, 0x01, (byte)'k', 0x00, 0x01, (byte)'v', 0x26, 0x00, 0x01, (byte)'k', 0x00, 0x01, (byte)'w'], section);
        Assert.Equal(["k:v", "k:w"], PropertySets.Decode(section, PropertyContext.Publish).UserProperties.Select(p => p.Name + ":" + p.Value));
    }

    [Fact]
    public void Known_bytes_a_subscription_identifier_of_two_bytes_and_a_four_byte_expiry()
    {
        var set = new MqttProperties { MessageExpiryInterval = 0x01020304 };
        set.SubscriptionIdentifiers.Add(200);

        Assert.Equal([0x08, 0x02, 0x01, 0x02, 0x03, 0x04, 0x0B, 0xC8, 0x01], PropertySets.Encode(set, PropertyContext.Publish));
    }

    [Fact]
    public void An_empty_set_is_one_zero_byte()
    {
        Assert.Equal([0x00], PropertySets.Encode(new MqttProperties(), PropertyContext.PubAck));
        Assert.Empty(PropertySets.Decode([0x00], PropertyContext.PubAck).Present());
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x04)]
    [InlineData(0x14)]
    [InlineData(0x2B)]
    [InlineData(0x7F)]
    public void An_identifier_MQTT_5_does_not_define_is_refused(byte id)
    {
        var e = Assert.Throws<MqttProtocolException>(() => PropertySets.Decode([0x02, id, 0x00], PropertyContext.Publish));
        Assert.Contains($"0x{id:X2}", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ForbiddenPlaces))]
    public void A_property_where_the_table_forbids_it_is_refused_both_ways(PropertyId id, PropertyContext context)
    {
        PropertyRow row = PropertyTable.Find(PropertySets.Rows, (int)id)!;
        var set = new MqttProperties();
        set.Add(id, PropertySets.Value(row, new Random(1)));
        byte[] section = HostileV5Packets.Section(HostileV5Packets.Entry(row, set.Present()[0].Value)); // the encoder's bytes for it, alone

        var decoding = Assert.Throws<MqttProtocolException>(() => PropertySets.Decode(section, context));
        Assert.Contains(id.ToString(), decoding.Message, StringComparison.Ordinal);
        var encoding = Assert.Throws<ArgumentException>(() => PropertySets.Encode(set, context));
        Assert.Contains("not allowed", encoding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SingleUsePlaces))]
    public void A_second_copy_of_a_property_that_may_not_repeat_is_refused_both_ways(PropertyId id, PropertyContext context)
    {
        PropertyRow row = PropertyTable.Find(PropertySets.Rows, (int)id)!;
        var one = new MqttProperties();
        one.Add(id, PropertySets.Value(row, new Random(2)));
        byte[] single = HostileV5Packets.Section(HostileV5Packets.Entry(row, one.Present()[0].Value)); // alone, even Authentication Data
        byte[] twice = [(byte)(2 * (single.Length - 1)), .. single[1..], .. single[1..]];
        if (twice[0] >= 0x80)
        {
            return; // a long value: the doubled length needs two bytes, which this hand-built section does not write
        }

        var decoding = Assert.Throws<MqttProtocolException>(() => PropertySets.Decode(twice, context));
        Assert.Contains("more than once", decoding.Message, StringComparison.Ordinal);
        if (id == PropertyId.SubscriptionIdentifier)
        {
            one.Add(id, PropertySets.Value(row, new Random(3)));
            Assert.Throws<ArgumentException>(() => PropertySets.Encode(one, context));
        }
    }

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void A_value_outside_the_table_s_range_is_refused_both_ways(PropertyId id, long value)
    {
        PropertyRow row = PropertyTable.Find(PropertySets.Rows, (int)id)!;
        PropertyContext context = Enum.GetValues<PropertyContext>().First(c => c != PropertyContext.None && (row.AllowedIn & c) != 0);
        byte[] section = row.Type switch
        {
            PropertyType.Byte => [0x02, (byte)id, (byte)value],
            PropertyType.TwoByteInteger => [0x03, (byte)id, (byte)(value >> 8), (byte)value],
            _ => [0x02, (byte)id, (byte)value], // a Variable Byte Integer: only 0 is out of range, one byte
        };

        var decoding = Assert.Throws<MqttProtocolException>(() => PropertySets.Decode(section, context));
        Assert.Contains(id.ToString(), decoding.Message, StringComparison.Ordinal);
        var set = new MqttProperties();
        set.Add(id, row.Type switch { PropertyType.Byte => (object)(byte)value, PropertyType.TwoByteInteger => (ushort)value, _ => (uint)value });
        Assert.Throws<ArgumentException>(() => PropertySets.Encode(set, context));
    }

    [Fact]
    public void A_property_length_that_overruns_the_packet_is_refused()
    {
        var e = Assert.Throws<MqttProtocolException>(() => PropertySets.Decode([0x05, 0x01, 0x01], PropertyContext.Publish));
        Assert.Contains("overruns", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_property_cut_inside_its_value_is_refused()
    {
        // Length 2 covers the identifier of a four-byte integer and one byte of it.
        var e = Assert.Throws<MqttProtocolException>(() => PropertySets.Decode([0x02, 0x02, 0x00], PropertyContext.Publish));
        Assert.Contains("MessageExpiryInterval", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_five_byte_variable_byte_integer_is_refused()
    {
        var e = Assert.Throws<MqttProtocolException>(() => PropertySets.Decode([0x06, 0x0B, 0x80, 0x80, 0x80, 0x80, 0x01], PropertyContext.Publish));
        Assert.Contains("longer than four bytes", e.Message, StringComparison.Ordinal);
    }
}
