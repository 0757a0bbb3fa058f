using System.Text;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Protocol.V5;

/// <summary>
/// Strings a hostile peer breaks, in every string property and both halves of a User Property, in every packet that may
/// carry them: ill-formed UTF-8 [MQTT-1.5.4-1], U+0000 [MQTT-1.5.4-2], and a pair missing its value.
/// </summary>
public sealed class MalformedStringPropertyTests
{
    /// <summary>Each is ill-formed UTF-8 or holds U+0000; .NET's own decoder would turn most into U+FFFD rather than refuse.</summary>
    public static readonly (string What, byte[] Bytes)[] BadStrings =
    [
        ("a lone continuation byte", [0x80]),
        ("an overlong U+0000", [0xC0, 0x80]),
        ("an overlong '/'", [0xE0, 0x80, 0xAF]),
        ("a byte never in UTF-8", [(byte)'a', 0xFF]),
        ("a sequence cut short", [0xE2, 0x82]),
        ("a high surrogate U+D800", [0xED, 0xA0, 0x80]),
        ("a low surrogate U+DFFF", [0xED, 0xBF, 0xBF]),
        ("a code point above U+10FFFF", [0xF4, 0x90, 0x80, 0x80]),
        ("a five-byte form", [0xF8, 0x88, 0x80, 0x80, 0x80]),
        ("U+0000", [(byte)'a', 0x00, (byte)'b']),
    ];

    public static TheoryData<PropertyId, PropertyContext> StringPlaces()
    {
        var data = new TheoryData<PropertyId, PropertyContext>();
        foreach (PropertyRow row in HostileV5Packets.Rows.Where(r => r.Type is PropertyType.Utf8String or PropertyType.Utf8StringPair))
        {
            foreach (PropertyContext context in HostileV5Packets.Contexts.Where(c => (row.AllowedIn & c) != 0))
            {
                data.Add(row.Id, context);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(StringPlaces))]
    public void A_malformed_string_is_refused(PropertyId id, PropertyContext context)
    {
        PropertyRow row = PropertyTable.Find(HostileV5Packets.Rows, (int)id)!;
        byte[] good = Encoding.UTF8.GetBytes("r/é");
        HostileV5Packets.Accept(HostileV5Packets.Packet(context, HostileV5Packets.Section(Entry(row, good, good)))); // the control
        foreach ((string what, byte[] bad) in BadStrings)
        {
            var e = HostileV5Packets.Refuse(HostileV5Packets.Packet(context, HostileV5Packets.Section(Entry(row, bad, good))), $"{id} in {context}: {what}");
            Assert.Contains(id.ToString(), e.Message, StringComparison.Ordinal);
            if (row.Type == PropertyType.Utf8StringPair)
            {
                HostileV5Packets.Refuse(HostileV5Packets.Packet(context, HostileV5Packets.Section(Entry(row, good, bad))), $"{id} value in {context}: {what}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Places))]
    public void A_User_Property_without_its_value_is_refused(PropertyContext context)
    {
        // The section ends after the name: the value's length field is missing, or says more than is there.
        byte[] nameOnly = [(byte)PropertyId.UserProperty, 0x00, 0x01, (byte)'k'];
        HostileV5Packets.Refuse(HostileV5Packets.Packet(context, HostileV5Packets.Section(nameOnly)), $"{context} User Property with no value");
        HostileV5Packets.Refuse(HostileV5Packets.Packet(context, HostileV5Packets.Section([.. nameOnly, 0x00])), $"{context} User Property with half a value length");
        HostileV5Packets.Refuse(HostileV5Packets.Packet(context, HostileV5Packets.Section([.. nameOnly, 0x00, 0x02, (byte)'v'])), $"{context} User Property value cut short");
    }

    public static TheoryData<PropertyContext> Places() => [.. HostileV5Packets.Contexts];

    private static byte[] Entry(PropertyRow row, byte[] first, byte[] second)
    {
        byte[] Prefixed(byte[] s) => [(byte)(s.Length >> 8), (byte)s.Length, .. s];
        return row.Type == PropertyType.Utf8StringPair ? [(byte)row.Id, .. Prefixed(first), .. Prefixed(second)] : [(byte)row.Id, .. Prefixed(first)];
    }
}
