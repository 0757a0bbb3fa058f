using System.Buffers;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Protocol.V5;

/// <summary>
/// MQTT 5: "The encoded value MUST use the minimum number of bytes necessary to represent the value" [MQTT-1.5.5-1]. A
/// Variable Byte Integer in more bytes than it needs (0x80 0x00 for 0) is a malformed packet wherever one appears: the
/// Remaining Length, a property section's length, a property identifier, a Subscription Identifier. MQTT 3.1.1 has no such
/// rule (2.2.3 gives the algorithm and each length's range, nothing more), so its reader takes a longer Remaining Length.
/// </summary>
public sealed class NonMinimalVariableByteIntegerTests
{
    public static TheoryData<PropertyContext> Places() => [.. HostileV5Packets.Contexts];

    [Theory]
    [MemberData(nameof(Places))]
    public void A_section_length_in_more_bytes_than_it_needs_is_refused(PropertyContext context)
    {
        byte[] entry = HostileV5Packets.UserEntry();
        HostileV5Packets.Accept(HostileV5Packets.Packet(context, [.. HostileV5Packets.Vbi(entry.Length), .. entry])); // the minimal form is read
        for (int bytes = 2; bytes <= 4; bytes++)
        {
            Says(HostileV5Packets.Refuse(HostileV5Packets.Packet(context, [.. HostileV5Packets.Vbi(entry.Length, bytes), .. entry]), $"{context} section length in {bytes} bytes"));
            Says(HostileV5Packets.Refuse(HostileV5Packets.Packet(context, HostileV5Packets.Vbi(0, bytes)), $"{context} empty section's length in {bytes} bytes"));
        }
    }

    [Theory]
    [MemberData(nameof(Places))]
    public void A_property_identifier_in_more_bytes_than_it_needs_is_refused(PropertyContext context)
    {
        byte[] entry = HostileV5Packets.UserEntry(); // 0x26 then the pair
        for (int bytes = 2; bytes <= 4; bytes++)
        {
            byte[] padded = [.. HostileV5Packets.Vbi(entry[0], bytes), .. entry[1..]];
            Says(HostileV5Packets.Refuse(HostileV5Packets.Packet(context, HostileV5Packets.Section(padded)), $"{context} User Property identifier in {bytes} bytes"));
        }
    }

    [Theory]
    [InlineData(PropertyContext.Publish)]
    [InlineData(PropertyContext.Subscribe)]
    public void A_subscription_identifier_in_more_bytes_than_it_needs_is_refused(PropertyContext context)
    {
        foreach (int value in new[] { 1, 127, 128, 16_383, 16_384, 2_097_151 })
        {
            int minimal = HostileV5Packets.Vbi(value).Length;
            HostileV5Packets.Accept(HostileV5Packets.Packet(context, HostileV5Packets.Section([0x0B, .. HostileV5Packets.Vbi(value)])));
            for (int bytes = minimal + 1; bytes <= 4; bytes++)
            {
                Says(HostileV5Packets.Refuse(HostileV5Packets.Packet(context, HostileV5Packets.Section([0x0B, .. HostileV5Packets.Vbi(value, bytes)])), $"{context} Subscription Identifier {value} in {bytes} bytes"));
            }
        }
    }

    [Theory]
    [InlineData("C0", "")] // PINGREQ
    [InlineData("E0", "")] // DISCONNECT, normal, no properties
    [InlineData("40", "0001")] // PUBACK, success, no properties
    [InlineData("30", "00016100")] // PUBLISH at QoS 0 to "a", no properties, no payload
    public void A_remaining_length_in_more_bytes_than_it_needs_is_refused_under_MQTT_5_from_the_header_alone(string first, string body)
    {
        byte[] rest = Convert.FromHexString(body);
        HostileV5Packets.Accept([.. Convert.FromHexString(first), .. HostileV5Packets.Vbi(rest.Length), .. rest]);
        for (int bytes = 2; bytes <= 4; bytes++)
        {
            byte[] header = [.. Convert.FromHexString(first), .. HostileV5Packets.Vbi(rest.Length, bytes)];
            Says(HostileV5Packets.Refuse([.. header, .. rest], $"{first} Remaining Length {rest.Length} in {bytes} bytes"));

            // Refused from the fixed header: the body is not waited for.
            var buffer = new ReadOnlySequence<byte>(header);
            Says(Assert.Throws<MqttProtocolException>(() => MqttPacketReader.TryRead(ref buffer, int.MaxValue, MqttProtocolVersion.V500, out _)));
        }
    }

    [Theory]
    [InlineData("C080", "00")] // PINGREQ, Remaining Length 0 in two bytes
    [InlineData("E0808000", "")] // DISCONNECT, 0 in three
    [InlineData("4082", "000001")] // PUBACK 1, 2 in two
    public void A_remaining_length_in_more_bytes_than_it_needs_is_read_under_3_1_1(string header, string body)
    {
        // MQTT 3.1.1 2.2.3 gives the encoding algorithm and a table of each length's range, and no rule against a longer
        // form; [MQTT-1.5.5-1] is MQTT 5's. So 3.1.1 reads it, as it always has (RemainingLengthTests).
        var buffer = new ReadOnlySequence<byte>(Convert.FromHexString(header + body));

        Assert.True(MqttPacketReader.TryRead(ref buffer, int.MaxValue, MqttProtocolVersion.V311, out MqttPacket? packet));
        Assert.Equal(0, buffer.Length);
        Assert.NotNull(packet);
    }

    private static void Says(MqttProtocolException e) => Assert.Contains("minimum number of bytes [MQTT-1.5.5-1]", e.Message, StringComparison.Ordinal);
}
