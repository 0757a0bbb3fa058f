using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Protocol.V5;

/// <summary>
/// Integer values outside spec/'s PropertyTable range, in every packet that may carry the property, through the whole reader:
/// 0 where the specification forbids it (Receive Maximum, Topic Alias, Subscription Identifier, Maximum Packet Size) and
/// every byte above 1 for the 0-or-1 properties (Payload Format Indicator, Maximum QoS, the Available flags, the Request ones).
/// </summary>
public sealed class PropertyValueHostileTests
{
    public static TheoryData<PropertyId, PropertyContext> BoundedIntegerPlaces()
    {
        var data = new TheoryData<PropertyId, PropertyContext>();
        foreach (PropertyRow row in HostileV5Packets.Rows.Where(r => OutOfRange(r).Count > 0))
        {
            foreach (PropertyContext context in HostileV5Packets.Contexts.Where(c => (row.AllowedIn & c) != 0))
            {
                data.Add(row.Id, context);
            }
        }

        return data;
    }

    [Fact]
    public void The_cases_include_the_issue_s_examples()
    {
        // Guards the generation: a table or filter change that dropped one of these would otherwise pass unnoticed.
        var cases = BoundedIntegerPlaces().Select(c => ((PropertyId)c[0], (PropertyContext)c[1])).ToHashSet();
        Assert.Contains((PropertyId.ReceiveMaximum, PropertyContext.Connect), cases);
        Assert.Contains((PropertyId.ReceiveMaximum, PropertyContext.ConnAck), cases);
        Assert.Contains((PropertyId.TopicAlias, PropertyContext.Publish), cases);
        Assert.Contains((PropertyId.SubscriptionIdentifier, PropertyContext.Subscribe), cases);
        Assert.Contains((PropertyId.SubscriptionIdentifier, PropertyContext.Publish), cases);
        Assert.Contains((PropertyId.MaximumPacketSize, PropertyContext.Connect), cases);
        Assert.Contains((PropertyId.MaximumPacketSize, PropertyContext.ConnAck), cases);
        Assert.Contains((PropertyId.PayloadFormatIndicator, PropertyContext.Publish), cases);
        Assert.Contains((PropertyId.PayloadFormatIndicator, PropertyContext.Will), cases);
        foreach (PropertyId flag in new[] { PropertyId.MaximumQoS, PropertyId.RetainAvailable, PropertyId.WildcardSubscriptionAvailable, PropertyId.SharedSubscriptionAvailable, PropertyId.SubscriptionIdentifierAvailable })
        {
            Assert.Contains((flag, PropertyContext.ConnAck), cases);
        }
    }

    [Theory]
    [MemberData(nameof(BoundedIntegerPlaces))]
    public void A_value_outside_the_table_s_range_is_refused(PropertyId id, PropertyContext context)
    {
        PropertyRow row = PropertyTable.Find(HostileV5Packets.Rows, (int)id)!;
        foreach (long value in OutOfRange(row))
        {
            var e = HostileV5Packets.Refuse(HostileV5Packets.Packet(context, HostileV5Packets.Section(Raw(row, value))), $"{id} = {value} in {context}");
            Assert.Contains(id.ToString(), e.Message, StringComparison.Ordinal);
        }

        // The bounds themselves pass: a decoder refusing the property outright would pass the loop above too.
        HostileV5Packets.Accept(HostileV5Packets.Packet(context, HostileV5Packets.Section(Raw(row, row.Minimum))));
        HostileV5Packets.Accept(HostileV5Packets.Packet(context, HostileV5Packets.Section(Raw(row, row.Maximum))));
    }

    /// <summary>The values the wire can carry for <paramref name="row"/>'s type that its range excludes: all of them for a byte, the edges otherwise.</summary>
    private static List<long> OutOfRange(PropertyRow row)
    {
        long widest = row.Type switch
        {
            PropertyType.Byte => byte.MaxValue,
            PropertyType.TwoByteInteger => ushort.MaxValue,
            PropertyType.FourByteInteger => uint.MaxValue,
            PropertyType.VariableByteInteger => 268_435_455,
            _ => -1, // not an integer
        };
        if (widest < 0)
        {
            return [];
        }

        var values = new List<long>();
        if (row.Minimum > 0)
        {
            values.AddRange(row.Minimum == 1 ? [0] : [0, row.Minimum - 1]);
        }

        if (row.Maximum < widest)
        {
            values.AddRange(row.Type == PropertyType.Byte ? Enumerable.Range((int)row.Maximum + 1, (int)(widest - row.Maximum)).Select(v => (long)v) : [row.Maximum + 1, widest]);
        }

        return values;
    }

    /// <summary>The property's identifier and <paramref name="value"/> in its type's encoding, whether or not the range allows it.</summary>
    private static byte[] Raw(PropertyRow row, long value) => row.Type switch
    {
        PropertyType.Byte => [(byte)row.Id, (byte)value],
        PropertyType.TwoByteInteger => [(byte)row.Id, (byte)(value >> 8), (byte)value],
        PropertyType.FourByteInteger => [(byte)row.Id, (byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value],
        _ => [(byte)row.Id, .. HostileV5Packets.Vbi((int)value)],
    };
}
