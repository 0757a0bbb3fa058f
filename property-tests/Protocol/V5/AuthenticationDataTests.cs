using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Protocol.V5;

/// <summary>
/// "It is a Protocol Error to include Authentication Data if there is no Authentication Method" (MQTT 5, 3.1.2.11.10; and
/// for CONNACK 3.2.2.3.18, for AUTH 3.15.2.2.3): the reader refuses such a CONNECT, CONNACK or AUTH, and the writer will
/// not write one. The method alone, or both in either order, are fine.
/// </summary>
public sealed class AuthenticationDataTests
{
    private static readonly byte[] Method = [0x15, 0x00, 0x05, .. "SCRAM"u8];
    private static readonly byte[] Data = [0x16, 0x00, 0x02, 0xCA, 0xFE];

    public static TheoryData<PropertyContext> Places() => [PropertyContext.Connect, PropertyContext.ConnAck, PropertyContext.Auth];

    [Theory]
    [MemberData(nameof(Places))]
    public void Data_without_a_method_is_refused_by_the_reader(PropertyContext context)
    {
        var e = HostileV5Packets.Refuse(HostileV5Packets.Packet(context, HostileV5Packets.Section(Data)), $"{context}: Authentication Data alone");
        Assert.Contains("Authentication Data but no Authentication Method", e.Message, StringComparison.Ordinal);
        HostileV5Packets.Refuse(HostileV5Packets.Packet(context, HostileV5Packets.Section(Data, HostileV5Packets.UserEntry())), $"{context}: Authentication Data and a User Property");
    }

    [Theory]
    [MemberData(nameof(Places))]
    public void A_method_alone_or_with_its_data_in_either_order_is_read(PropertyContext context)
    {
        HostileV5Packets.Accept(HostileV5Packets.Packet(context, HostileV5Packets.Section(Method)));
        HostileV5Packets.Accept(HostileV5Packets.Packet(context, HostileV5Packets.Section(Method, Data)));
        HostileV5Packets.Accept(HostileV5Packets.Packet(context, HostileV5Packets.Section(Data, Method)));
    }

    [Theory]
    [MemberData(nameof(Places))]
    public void Data_without_a_method_is_refused_by_the_writer(PropertyContext context)
    {
        var set = new MqttProperties { AuthenticationData = new byte[] { 0xCA, 0xFE } };
        MqttPacket packet = EveryPropertyRoundTripTests.PacketFor(context, set);

        var e = Assert.Throws<ArgumentException>(() => Mqtt5Packets.Encode(packet));
        Assert.Equal("properties", e.ParamName);
        Assert.Contains("Authentication Data but no Authentication Method", e.Message, StringComparison.Ordinal);

        set.AuthenticationMethod = "SCRAM";
        Assert.Equal(Mqtt5Packets.Describe(packet), Mqtt5Packets.Describe(Mqtt5Packets.Decode(Mqtt5Packets.Encode(packet))));
    }
}
