using StateMachineMqtt.PropertyTests.Fixtures.MaliciousBroker;

namespace StateMachineMqtt.PropertyTests.Resilience.Hostile;

/// <summary>
/// The malicious broker's cases, each decided from MQTT 3.1.1 (the rule is in each case's comment). The decisions live in
/// the decoder (malformed bytes), spec/'s InboundDispatchTable and the engine (unexpected packets); the driver only
/// closes the link.
/// </summary>
internal static class HostileBrokerCases
{
    public static readonly HostileBrokerCase[] All =
    [
        // A Remaining Length of 268,435,455: over the client's maximum packet size, refused from the fixed header alone.
        new("oversized", (c, _, t) => c.SendAsync([0x90, 0xFF, 0xFF, 0xFF, 0x7F], t), "exceeds the maximum packet size"),

        // A PUBACK whose Remaining Length (1) is too short for its packet identifier [MQTT-3.4.2]: malformed.
        new("truncated", (c, _, t) => c.SendAsync([0x40, 0x01, 0x00], t), "overruns the Remaining Length"),

        // Half a PUBLISH, then FIN: the link ends inside a packet, which is a lost link.
        new("truncated-then-closed", async (c, _, t) =>
        {
            await c.SendAsync([0x30, 0x0A, 0x00, 0x01, (byte)'t'], t);
            c.Close();
        }, ""),

        // Anything before CONNACK [MQTT-3.2.0-1]: here a PUBACK where the CONNACK should be.
        new("out-of-order", (c, _, t) => c.SendAsync(HostilePackets.PubAck(1), t), "sent PUBACK in AwaitingConnAck, a protocol violation: [MQTT-3.2.0-1] nothing may come before CONNACK", BeforeConnAck: true),

        // A packet type only clients send [MQTT-2.2.1]: SUBSCRIBE from the broker.
        new("unsolicited-subscribe", (c, _, t) => c.SendAsync([0x82, 0x06, 0x00, 0x01, 0x00, 0x01, (byte)'t', 0x00], t), "sent SUBSCRIBE in Connected, a protocol violation: [MQTT-2.2.1] only a client sends SUBSCRIBE"),

        // CONNACK comes once, first [MQTT-3.2.0-1]: a second one is a violation (spec/'s InboundDispatchTable).
        new("second-connack", (c, _, t) => c.SendAsync(HostilePackets.ConnAck(sessionPresent: false), t), "sent CONNACK in Connected, a protocol violation: [MQTT-3.2.0-1] CONNACK comes once, first"),

        // One return code per filter [MQTT-3.9.3-1]: two codes for a one-filter SUBSCRIBE.
        new("suback-count-mismatch", (c, held, t) => c.SendAsync(HostilePackets.SubAck(held.SubscribeId, 2), t), "does not match its request", Subscribes: true),

        // A SUBACK no SUBSCRIBE awaits: 3.1.1 forbids nothing here, so it is ignored, and the link stays up.
        new("unsolicited-suback", async (c, held, t) =>
        {
            await c.SendAsync(HostilePackets.SubAck(9, 1), t);
            await c.SendAsync(HostilePackets.PubAck(held.PublishId), t);
        }, null, Ignored: "SUBACK for packet 9"),

        // A PUBACK for an identifier no message holds: 3.1.1 does not call it a violation (a late duplicate after a resume
        // looks the same), so it is ignored; then the real PUBACK, twice (duplicated): the second is ignored too.
        new("puback-unknown-and-duplicated", async (c, held, t) =>
        {
            await c.SendAsync(HostilePackets.PubAck((ushort)(held.PublishId + 100)), t);
            await c.SendAsync(HostilePackets.PubAck(held.PublishId), t);
            await c.SendAsync(HostilePackets.PubAck(held.PublishId), t);
        }, null, Ignored: "which no message awaits"),
    ];

    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (HostileBrokerCase c in All)
        {
            names.Add(c.Name);
        }

        return names;
    }
}
