namespace StateMachineMqtt.PropertyTests.Chaos;

/// <summary>Hand-encoded MQTT 3.1.1 packets: the proxy tests need no codec.</summary>
internal static class Packets
{
    public static byte[] Connect => [0x10, 0x0C, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x00];

    public static byte[] ConnAck => [0x20, 0x02, 0x00, 0x00];

    public static byte[] PingReq => [0xC0, 0x00];

    public static byte[] PingResp => [0xD0, 0x00];

    public static byte[] PubAck(ushort id) => [0x40, 0x02, (byte)(id >> 8), (byte)id];

    /// <summary>PUBLISH to topic "t" with the given QoS, packet identifier (QoS &gt; 0) and payload.</summary>
    public static byte[] Publish(int qos, ushort id, byte[] payload)
    {
        var body = new List<byte> { 0x00, 0x01, (byte)'t' };
        if (qos > 0)
        {
            body.Add((byte)(id >> 8));
            body.Add((byte)id);
        }

        body.AddRange(payload);
        var packet = new List<byte> { (byte)(0x30 | (qos << 1)) };
        int remaining = body.Count;
        do
        {
            byte b = (byte)(remaining % 128);
            remaining /= 128;
            packet.Add(remaining > 0 ? (byte)(b | 0x80) : b);
        }
        while (remaining > 0);
        packet.AddRange(body);
        return [.. packet];
    }
}
