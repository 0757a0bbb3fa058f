using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Protocol;

/// <summary>
/// Lets theory rows name their packets as they are: <c>{ "PINGREQ", PingReqPacket.Instance, "C0 00" }</c> in a
/// <c>TheoryData&lt;string, PacketCase, string&gt;</c> (collection initializers take an extension Add).
/// </summary>
internal static class PacketCaseRows
{
    public static void Add(this TheoryData<string, PacketCase, string> rows, string description, MqttPacket packet, string hex) =>
        rows.Add(description, new PacketCase(packet), hex);

    public static void Add(this TheoryData<PacketCase, string> rows, MqttPacket packet, string expected) =>
        rows.Add(new PacketCase(packet), expected);
}
