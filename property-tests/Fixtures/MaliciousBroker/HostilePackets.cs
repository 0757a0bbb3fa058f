namespace StateMachineMqtt.PropertyTests.Fixtures.MaliciousBroker;

/// <summary>
/// MQTT 3.1.1 packets a broker sends, written by hand so they can be wrong on purpose: the malicious broker needs no
/// codec, and must not be limited to what a correct writer would produce.
/// </summary>
internal static class HostilePackets
{
    public static byte[] PingResp => [0xD0, 0x00];

    public static byte[] ConnAck(bool sessionPresent) => [0x20, 0x02, sessionPresent ? (byte)1 : (byte)0, 0x00];

    public static byte[] PubAck(ushort id) => IdOnly(0x40, id);

    /// <summary>A packet whose body is only a packet identifier (PUBACK 0x40, PUBREC 0x50, PUBCOMP 0x70, UNSUBACK 0xB0...).</summary>
    public static byte[] IdOnly(byte first, ushort id) => [first, 0x02, (byte)(id >> 8), (byte)id];

    /// <summary>A SUBACK granting QoS 1 to <paramref name="filters"/> filters.</summary>
    public static byte[] SubAck(ushort id, int filters) => [0x90, (byte)(2 + filters), (byte)(id >> 8), (byte)id, .. Enumerable.Repeat((byte)0x01, filters)];

    /// <summary>A QoS 0 PUBLISH to topic "t" carrying <paramref name="payload"/>.</summary>
    public static byte[] Publish(byte[] payload) => StateMachineMqtt.PropertyTests.Chaos.Packets.Publish(0, 0, payload);
}
