using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Protocol.V5;

/// <summary>
/// A property a packet may not carry, and an identifier MQTT 5 does not define, are protocol errors [MQTT-2.2.2.2]: every
/// (property, packet) pair spec/'s PropertyTable forbids, and every undefined identifier in every packet, through the whole reader.
/// </summary>
public sealed class ForbiddenPropertyTests
{
    public static TheoryData<PropertyId, PropertyContext> ForbiddenPlaces()
    {
        var data = new TheoryData<PropertyId, PropertyContext>();
        foreach (PropertyRow row in HostileV5Packets.Rows)
        {
            foreach (PropertyContext context in HostileV5Packets.Contexts.Where(c => (row.AllowedIn & c) == 0))
            {
                data.Add(row.Id, context);
            }
        }

        return data;
    }

    public static TheoryData<PropertyContext> Places() => [.. HostileV5Packets.Contexts];

    [Theory]
    [MemberData(nameof(ForbiddenPlaces))]
    public void A_property_the_packet_may_not_carry_is_refused(PropertyId id, PropertyContext context)
    {
        PropertyRow row = PropertyTable.Find(HostileV5Packets.Rows, (int)id)!;
        byte[] entry = HostileV5Packets.Entry(row, HostileV5Packets.Valid(row, 0));

        var e = HostileV5Packets.Refuse(HostileV5Packets.Packet(context, HostileV5Packets.Section(entry)), $"{id} in {context}");
        Assert.Contains(id.ToString(), e.Message, StringComparison.Ordinal);
        // Behind an allowed one too: the check is per property, not only for the first.
        HostileV5Packets.Refuse(HostileV5Packets.Packet(context, HostileV5Packets.Section(HostileV5Packets.UserEntry(), entry)), $"{id} in {context} after a User Property");
    }

    [Theory]
    [MemberData(nameof(Places))]
    public void Every_undefined_identifier_is_refused(PropertyContext context)
    {
        // Every one-byte identifier the table lacks, then some that take several bytes (a Variable Byte Integer [MQTT-2.2.2.2]).
        var undefined = Enumerable.Range(0, 128).Where(i => PropertyTable.Find(HostileV5Packets.Rows, i) is null)
            .Select(i => HostileV5Packets.Vbi(i))
            .Concat([HostileV5Packets.Vbi(128), HostileV5Packets.Vbi(128 + 0x26), HostileV5Packets.Vbi(1 << 21), HostileV5Packets.Vbi(268_435_455)]);
        int count = 0;
        foreach (byte[] id in undefined)
        {
            // A value byte after it, so a decoder that skipped unknown one-byte properties would still have to see it.
            HostileV5Packets.Refuse(HostileV5Packets.Packet(context, HostileV5Packets.Section(id, [0x00])), $"identifier {Convert.ToHexString(id)} in {context}");
            count++;
        }

        Assert.Equal(128 - HostileV5Packets.Rows.Length + 4, count);
    }
}
