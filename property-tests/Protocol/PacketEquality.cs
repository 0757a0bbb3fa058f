using StateMachineMqtt.Protocol.Packets;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Protocol;

/// <summary>
/// Structural equality of packets. The records hold ReadOnlyMemory and IReadOnlyList, which compare by reference, so
/// those fields are compared by content here and everything else by the records' own equality.
/// </summary>
internal static class PacketEquality
{
    /// <summary>True when both packets have the same type and the same field values.</summary>
    public static bool AreEqual(MqttPacket? expected, MqttPacket? actual) => (expected, actual) switch
    {
        (null, null) => true,
        (ConnectPacket e, ConnectPacket a) =>
            e with { Password = null, Will = null } == a with { Password = null, Will = null }
            && SameBytes(e.Password, a.Password)
            && WillsEqual(e.Will, a.Will),
        (PublishPacket e, PublishPacket a) =>
            e with { Payload = default } == a with { Payload = default } && e.Payload.Span.SequenceEqual(a.Payload.Span),
        (SubscribePacket e, SubscribePacket a) => e.PacketId == a.PacketId && e.Subscriptions.SequenceEqual(a.Subscriptions),
        (SubAckPacket e, SubAckPacket a) => e.PacketId == a.PacketId && e.ReturnCodes.SequenceEqual(a.ReturnCodes),
        (UnsubscribePacket e, UnsubscribePacket a) => e.PacketId == a.PacketId && e.TopicFilters.SequenceEqual(a.TopicFilters, StringComparer.Ordinal),
        (MqttPacket e, MqttPacket a) => e.Equals(a), // the remaining records hold only value fields
        _ => false,
    };

    /// <summary>Asserts structural equality, showing both packets' contents when they differ.</summary>
    public static void AssertEqual(MqttPacket expected, MqttPacket? actual) =>
        Assert.True(AreEqual(expected, actual), $"Expected {Describe(expected)}\n  but got {(actual is null ? "null" : Describe(actual))}");

    /// <summary>The packet with its byte and list fields spelled out, for failure messages.</summary>
    public static string Describe(MqttPacket packet) => packet switch
    {
        ConnectPacket c => $"CONNECT(ClientId={Quote(c.ClientId)}, Clean={c.CleanSession}, KeepAlive={c.KeepAliveSeconds}, User={(c.UserName is null ? "null" : Quote(c.UserName))}, " +
                           $"Password={(c.Password is { } p ? Hex(p) : "null")}, Will={(c.Will is { } w ? $"({Quote(w.Topic)}, {Hex(w.Payload)}, {w.QualityOfService}, Retain={w.Retain})" : "null")})",
        PublishPacket p => $"PUBLISH(Topic={Quote(p.Topic)}, QoS={(int)p.QualityOfService}, Retain={p.Retain}, Dup={p.Dup}, Id={p.PacketId}, Payload={Hex(p.Payload)})",
        SubscribePacket s => $"SUBSCRIBE(Id={s.PacketId}, [{string.Join(", ", s.Subscriptions.Select(x => $"{Quote(x.TopicFilter)}@{(int)x.QualityOfService}"))}])",
        SubAckPacket s => $"SUBACK(Id={s.PacketId}, [{Convert.ToHexString(s.ReturnCodes.ToArray())}])",
        UnsubscribePacket u => $"UNSUBSCRIBE(Id={u.PacketId}, [{string.Join(", ", u.TopicFilters.Select(Quote))}])",
        _ => packet.ToString(),
    };

    private static bool WillsEqual(MqttWill? e, MqttWill? a) =>
        (e is null && a is null)
        || (e is not null && a is not null && e with { Payload = default } == a with { Payload = default } && e.Payload.Span.SequenceEqual(a.Payload.Span));

    private static bool SameBytes(ReadOnlyMemory<byte>? e, ReadOnlyMemory<byte>? a) =>
        e.HasValue == a.HasValue && (!e.HasValue || e.GetValueOrDefault().Span.SequenceEqual(a.GetValueOrDefault().Span));

    // Escapes non-ASCII so that invisible characters (U+0001, U+FEFF) show in failure messages.
    private static string Quote(string s) =>
        "\"" + string.Concat(s.Select(ch => ch is >= ' ' and < (char)0x7F ? ch.ToString() : $"\\u{(int)ch:X4}")) + "\"";

    private static string Hex(ReadOnlyMemory<byte> bytes) =>
        bytes.Length <= 32 ? $"[{Convert.ToHexString(bytes.Span)}]" : $"[{bytes.Length} bytes {Convert.ToHexString(bytes.Span[..16])}…]";
}
