using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Protocol.V5;

/// <summary>
/// A second copy of a property that may not repeat is a protocol error [MQTT-2.2.2-1]: every single-valued property of
/// spec/'s PropertyTable, in every packet where it is allowed, through the whole reader. Cases come from the table, so a new
/// row is covered with no edit here.
/// </summary>
public sealed class DuplicatedPropertyTests
{
    public static TheoryData<PropertyId, PropertyContext> SingleValuedPlaces()
    {
        var data = new TheoryData<PropertyId, PropertyContext>();
        foreach (PropertyRow row in HostileV5Packets.Rows)
        {
            foreach (PropertyContext context in HostileV5Packets.Contexts.Where(c => (row.AllowedIn & c) != 0 && (row.RepeatableIn & c) == 0))
            {
                data.Add(row.Id, context);
            }
        }

        return data;
    }

    [Fact]
    public void The_cases_include_the_issue_s_examples()
    {
        // Guards the generation itself: were the filter above wrong, the theory could pass with almost nothing in it.
        var cases = SingleValuedPlaces().Select(c => ((PropertyId)c[0], (PropertyContext)c[1])).ToHashSet();
        Assert.Contains((PropertyId.TopicAlias, PropertyContext.Publish), cases);
        Assert.Contains((PropertyId.SubscriptionIdentifier, PropertyContext.Subscribe), cases);
        Assert.Contains((PropertyId.ReasonString, PropertyContext.Auth), cases);
        Assert.Contains((PropertyId.PayloadFormatIndicator, PropertyContext.Will), cases);
        Assert.DoesNotContain((PropertyId.SubscriptionIdentifier, PropertyContext.Publish), cases);
        Assert.DoesNotContain(cases, c => c.Item1 == PropertyId.UserProperty);
        // Counted another way, from the flags' bits: every allowed place that is not a repeatable one.
        Assert.Equal(HostileV5Packets.Rows.Sum(r => System.Numerics.BitOperations.PopCount((uint)(r.AllowedIn & ~r.RepeatableIn))), cases.Count);
    }

    [Theory]
    [MemberData(nameof(SingleValuedPlaces))]
    public void A_second_copy_is_refused_same_value_other_value_or_apart(PropertyId id, PropertyContext context)
    {
        PropertyRow row = PropertyTable.Find(HostileV5Packets.Rows, (int)id)!;
        byte[] first = HostileV5Packets.Entry(row, HostileV5Packets.Valid(row, 0));
        byte[] other = HostileV5Packets.Entry(row, HostileV5Packets.Valid(row, 1));
        byte[][] companions = HostileV5Packets.Companions(row);
        HostileV5Packets.Accept(HostileV5Packets.Packet(context, HostileV5Packets.Section([.. companions, first]))); // one copy is fine

        foreach ((string how, byte[][] entries) in new[]
        {
            ("the same value twice", new[] { first, first }),
            ("two values", new[] { first, other }),
            ("two copies with a User Property between", new[] { first, HostileV5Packets.UserEntry(), other }),
        })
        {
            var e = HostileV5Packets.Refuse(HostileV5Packets.Packet(context, HostileV5Packets.Section([.. companions, .. entries])), $"{id} in {context}, {how}");
            Assert.Contains("more than once", e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(PropertyId.UserProperty, PropertyContext.Disconnect)]
    [InlineData(PropertyId.SubscriptionIdentifier, PropertyContext.Publish)]
    public void A_repeatable_property_repeated_is_accepted(PropertyId id, PropertyContext context)
    {
        // The other side of the rule: refusing every repeat would pass the theory above too.
        PropertyRow row = PropertyTable.Find(HostileV5Packets.Rows, (int)id)!;
        byte[] entry = HostileV5Packets.Entry(row, HostileV5Packets.Valid(row, 0));
        HostileV5Packets.Accept(HostileV5Packets.Packet(context, HostileV5Packets.Section(entry, entry, entry)));
    }
}
