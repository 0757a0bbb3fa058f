using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Protocol.V5;

/// <summary>
/// Lengths a hostile peer gets wrong, in every packet with a property section: the section's length too long (overrunning
/// the packet) or too short (cutting a property), a string or binary length overrunning the section while the packet goes
/// on, and Variable Byte Integers over four bytes [MQTT-1.5.5] as the section length, an identifier or a value.
/// </summary>
public sealed class PropertyLengthHostileTests
{
    public static TheoryData<PropertyContext> Places() => [.. HostileV5Packets.Contexts];

    public static TheoryData<PropertyId, PropertyContext> LengthPrefixedPlaces()
    {
        var data = new TheoryData<PropertyId, PropertyContext>();
        foreach (PropertyRow row in HostileV5Packets.Rows.Where(r => r.Type is PropertyType.Utf8String or PropertyType.Utf8StringPair or PropertyType.BinaryData))
        {
            foreach (PropertyContext context in HostileV5Packets.Contexts.Where(c => (row.AllowedIn & c) != 0))
            {
                data.Add(row.Id, context);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Places))]
    public void A_section_length_longer_than_the_packet_is_refused(PropertyContext context)
    {
        byte[] entry = HostileV5Packets.UserEntry();
        int after = HostileV5Packets.Template(context).After.Length;
        foreach (int extra in new[] { 1, after + 1, after + 200, 268_435_455 - entry.Length })
        {
            byte[] section = [.. HostileV5Packets.Vbi(entry.Length + extra), .. entry];
            HostileV5Packets.Refuse(HostileV5Packets.Packet(context, section), $"{context} section length {extra} too long");
        }
    }

    [Theory]
    [MemberData(nameof(Places))]
    public void A_section_length_that_cuts_a_property_is_refused(PropertyContext context)
    {
        // Every cut inside the last property, identifier byte kept: the bytes cut off then fall outside the section.
        byte[] entry = HostileV5Packets.UserEntry();
        for (int shortBy = 1; shortBy < entry.Length; shortBy++)
        {
            byte[] section = [.. HostileV5Packets.Vbi(entry.Length - shortBy), .. entry];
            HostileV5Packets.Refuse(HostileV5Packets.Packet(context, section), $"{context} section length {shortBy} too short");
        }
    }

    [Theory]
    [MemberData(nameof(LengthPrefixedPlaces))]
    public void A_string_or_data_length_past_the_section_is_refused_though_the_packet_goes_on(PropertyId id, PropertyContext context)
    {
        PropertyRow row = PropertyTable.Find(HostileV5Packets.Rows, (int)id)!;
        byte[] entry = HostileV5Packets.Entry(row, HostileV5Packets.Valid(row, 1));
        // The first length field is just after the one-byte identifier; a pair's second follows the first string.
        var lengthFields = new List<int> { 1 };
        if (row.Type == PropertyType.Utf8StringPair)
        {
            lengthFields.Add(1 + 2 + ((entry[1] << 8) | entry[2]));
        }

        foreach (int at in lengthFields)
        {
            byte[] bad = (byte[])entry.Clone();
            int length = ((bad[at] << 8) | bad[at + 1]) + 1;
            (bad[at], bad[at + 1]) = ((byte)(length >> 8), (byte)length);
            // Where the packet has fields after the section (CONNECT, PUBLISH, SUBSCRIBE...), only the section's own bound catches it.
            HostileV5Packets.Refuse(HostileV5Packets.Packet(context, HostileV5Packets.Section(bad)), $"{id} in {context}, length at {at} one too long");
        }
    }

    [Theory]
    [MemberData(nameof(Places))]
    public void A_variable_byte_integer_over_four_bytes_is_refused_as_section_length_or_identifier(PropertyContext context)
    {
        var lengthField = HostileV5Packets.Refuse(HostileV5Packets.Packet(context, [0x80, 0x80, 0x80, 0x80, 0x01]), $"{context} five-byte section length");
        Assert.Contains("longer than four bytes", lengthField.Message, StringComparison.Ordinal);
        var identifier = HostileV5Packets.Refuse(HostileV5Packets.Packet(context, HostileV5Packets.Section([0xA6, 0x80, 0x80, 0x80, 0x00])), $"{context} five-byte identifier");
        Assert.Contains("longer than four bytes", identifier.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PropertyContext.Publish)]
    [InlineData(PropertyContext.Subscribe)]
    public void A_five_byte_subscription_identifier_is_refused(PropertyContext context)
    {
        var e = HostileV5Packets.Refuse(HostileV5Packets.Packet(context, HostileV5Packets.Section([0x0B, 0x80, 0x80, 0x80, 0x80, 0x01])), $"{context} five-byte Subscription Identifier");
        Assert.Contains("longer than four bytes", e.Message, StringComparison.Ordinal);
        HostileV5Packets.Accept(HostileV5Packets.Packet(context, HostileV5Packets.Section([0x0B, 0xFF, 0xFF, 0xFF, 0x7F]))); // four bytes, the maximum, is fine
    }
}
