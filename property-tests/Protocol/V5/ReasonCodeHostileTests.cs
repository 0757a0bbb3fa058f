using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Protocol.V5;

/// <summary>
/// Every byte as the reason code of every MQTT 5 packet that carries one, in each of its forms: what spec/'s ReasonCodeTable
/// allows that packet decodes to that code, anything else is a protocol error [MQTT-2.4]. All 256 values are tried, so a
/// code the table gains or loses is covered with no edit here.
/// </summary>
public sealed class ReasonCodeHostileTests
{
    public static TheoryData<PropertyContext> CodedPackets() =>
    [
        PropertyContext.ConnAck, PropertyContext.PubAck, PropertyContext.PubRec, PropertyContext.PubRel, PropertyContext.PubComp,
        PropertyContext.SubAck, PropertyContext.UnsubAck, PropertyContext.Disconnect, PropertyContext.Auth,
    ];

    [Theory]
    [MemberData(nameof(CodedPackets))]
    public void Every_code_outside_the_packet_s_row_is_refused_and_every_code_in_it_is_kept(PropertyContext packet)
    {
        int allowed = 0;
        for (int code = 0; code < 256; code++)
        {
            bool inRow = ReasonCodeTable.IsAllowed(HostileV5Packets.Codes, code, packet);
            allowed += inRow ? 1 : 0;
            foreach ((string form, byte[] bytes) in Forms(packet, (byte)code))
            {
                if (inRow)
                {
                    Assert.Equal(code, CodeOf(HostileV5Packets.Accept(bytes)));
                }
                else
                {
                    var e = HostileV5Packets.Refuse(bytes, $"{packet} {form} with reason code 0x{code:X2}");
                    Assert.Contains($"0x{code:X2}", e.Message, StringComparison.Ordinal);
                }
            }
        }

        // Neither everything nor nothing: each packet's row is a real subset of the 256 bytes.
        Assert.InRange(allowed, 2, 60);
    }

    [Fact]
    public void A_refusing_CONNACK_with_Session_Present_is_refused()
    {
        // [MQTT-3.2.2-6]: a server refusing the connection sets Session Present to 0.
        HostileV5Packets.Refuse([0x20, 0x03, 0x01, 0x87, 0x00], "CONNACK 0x87 with Session Present");
        HostileV5Packets.Accept([0x20, 0x03, 0x01, 0x00, 0x00]);
    }

    /// <summary>The packet's forms carrying <paramref name="code"/>: with and without a property section; for SUBACK and UNSUBACK, first and second in the list.</summary>
    private static IEnumerable<(string Form, byte[] Bytes)> Forms(PropertyContext packet, byte code)
    {
        switch (packet)
        {
            case PropertyContext.ConnAck:
                yield return ("", [0x20, 0x03, 0x00, code, 0x00]);
                break;
            case PropertyContext.PubAck or PropertyContext.PubRec or PropertyContext.PubRel or PropertyContext.PubComp:
                byte first = HostileV5Packets.Template(packet).First;
                yield return ("without properties", [first, 0x03, 0x00, 0x01, code]);
                yield return ("with properties", [first, 0x04, 0x00, 0x01, code, 0x00]);
                break;
            case PropertyContext.SubAck or PropertyContext.UnsubAck:
                byte type = HostileV5Packets.Template(packet).First;
                yield return ("alone", [type, 0x04, 0x00, 0x01, 0x00, code]);
                yield return ("second", [type, 0x05, 0x00, 0x01, 0x00, 0x00, code]);
                break;
            default:
                byte kind = HostileV5Packets.Template(packet).First;
                yield return ("without properties", [kind, 0x01, code]);
                yield return ("with properties", [kind, 0x02, code, 0x00]);
                break;
        }
    }

    private static int CodeOf(MqttPacket packet) => packet switch
    {
        ConnAckPacket c => (int)c.ReturnCode,
        PubAckPacket a => a.ReasonCode,
        PubRecPacket a => a.ReasonCode,
        PubRelPacket a => a.ReasonCode,
        PubCompPacket a => a.ReasonCode,
        SubAckPacket s => s.ReturnCodes[^1],
        UnsubAckPacket u => u.ReasonCodes![^1],
        DisconnectPacket d => d.ReasonCode,
        AuthPacket a => a.ReasonCode,
        _ => throw new ArgumentException($"{packet} carries no reason code", nameof(packet)),
    };
}
