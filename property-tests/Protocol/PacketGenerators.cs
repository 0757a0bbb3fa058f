using FsCheck;
using FsCheck.Fluent;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Protocol;

/// <summary>
/// Generators of spec-valid MQTT 3.1.1 packets of every type, both directions. Strings mix ASCII, multi-byte UTF-8,
/// surrogate pairs, control characters and U+FEFF; topics have empty levels; filters use '+' and '#' where allowed.
/// </summary>
internal static class PacketGenerators
{
    // Pieces that strings are built from: every UTF-8 length (1-4 bytes) and the awkward-but-legal characters.
    private static readonly string[] TextPieces = ["a", "b", "Z", "0", " ", "-", "é", "€", "中", "😀", "\u0001", "\uFEFF", "\u007F"];

    /// <summary>Any bool.</summary>
    public static Gen<bool> Bool { get; } = Gen.Elements(true, false);

    /// <summary>A non-zero packet identifier [MQTT-2.3.1-1].</summary>
    public static Gen<ushort> PacketId { get; } = Gen.Frequency(
        (1, Gen.Elements<ushort>(1, 2, 255, 256, ushort.MaxValue)),
        (4, Gen.Choose(1, ushort.MaxValue).Select(i => (ushort)i)));

    /// <summary>Any QoS level.</summary>
    public static Gen<MqttQualityOfService> Qos { get; } =
        Gen.Elements(MqttQualityOfService.AtMostOnce, MqttQualityOfService.AtLeastOnce, MqttQualityOfService.ExactlyOnce);

    /// <summary>Binary data of 0 to <paramref name="maxLength"/> bytes.</summary>
    public static Gen<byte[]> Bytes(int maxLength) =>
        Gen.Choose(0, maxLength).SelectMany(n => Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf(n));

    /// <summary>A valid MQTT string (no '/', '+', '#') of 0 to <paramref name="maxPieces"/> characters.</summary>
    public static Gen<string> Text(int maxPieces) =>
        Gen.Choose(0, maxPieces).SelectMany(n => Gen.Elements(TextPieces).ArrayOf(n)).Select(string.Concat);

    /// <summary>A topic name: one or more levels (some empty), no wildcards, not empty [MQTT-4.7].</summary>
    public static Gen<string> TopicName { get; } =
        Gen.Choose(1, 4).SelectMany(n => Text(6).ArrayOf(n)).Select(levels => string.Join('/', levels)).Where(t => t.Length > 0);

    /// <summary>A topic filter: levels that may be '+', and optionally a final '#' [MQTT-4.7.1].</summary>
    public static Gen<string> TopicFilter { get; } =
        from levels in Gen.Choose(1, 4).SelectMany(n => Gen.Frequency((4, Text(5)), (1, Gen.Constant("+"))).ArrayOf(n))
        from multiLevel in Bool
        let filter = string.Join('/', levels)
        let full = multiLevel ? (filter.Length == 0 ? "#" : filter + "/#") : filter
        where full.Length > 0
        select full;

    /// <summary>CONNECT with any combination of will, user name and password the spec allows.</summary>
    public static Gen<MqttPacket> Connect { get; } =
        from clientId in Text(23)
        from clean in Bool
        from keepAlive in Gen.Choose(0, ushort.MaxValue)
        from will in Gen.OneOf(Gen.Constant<MqttWill?>(null), Will)
        from userName in Gen.OneOf(Gen.Constant<string?>(null), Text(12).Select(s => (string?)s))
        from password in Gen.OneOf(Gen.Constant<byte[]?>(null), Bytes(24).Select(b => (byte[]?)b))
        select (MqttPacket)new ConnectPacket(
            clientId,
            CleanSession: clean || clientId.Length == 0, // an empty client id needs a clean session [MQTT-3.1.3-7]
            (ushort)keepAlive,
            userName,
            userName is null || password is null ? (ReadOnlyMemory<byte>?)null : new ReadOnlyMemory<byte>(password), // [MQTT-3.1.2-22]
            will);

    /// <summary>A will message.</summary>
    public static Gen<MqttWill?> Will { get; } =
        from topic in TopicName
        from payload in Bytes(32)
        from qos in Qos
        from retain in Bool
        select (MqttWill?)new MqttWill(topic, payload, qos, retain);

    /// <summary>CONNACK: session present only with an accepted connection [MQTT-3.2.2-4].</summary>
    public static Gen<MqttPacket> ConnAck { get; } =
        from code in Gen.Choose(0, 5).Select(c => (ConnectReturnCode)c)
        from sessionPresent in Bool
        select (MqttPacket)new ConnAckPacket(sessionPresent && code == ConnectReturnCode.Accepted, code);

    /// <summary>PUBLISH at every QoS; a packet id and DUP only above QoS 0.</summary>
    public static Gen<MqttPacket> Publish { get; } =
        from topic in TopicName
        from payload in Gen.Frequency((5, Bytes(64)), (1, Bytes(2000)))
        from qos in Qos
        from retain in Bool
        from dup in Bool
        from id in PacketId
        select (MqttPacket)new PublishPacket(
            topic,
            payload,
            qos,
            retain,
            Dup: dup && qos != MqttQualityOfService.AtMostOnce,
            PacketId: qos == MqttQualityOfService.AtMostOnce ? (ushort)0 : id);

    /// <summary>SUBSCRIBE with one to five filters.</summary>
    public static Gen<MqttPacket> Subscribe { get; } =
        from id in PacketId
        from subscriptions in Gen.Choose(1, 5).SelectMany(n => TopicFilter.Zip(Qos, (f, q) => new TopicSubscription(f, q)).ArrayOf(n))
        select (MqttPacket)new SubscribePacket(id, subscriptions);

    /// <summary>SUBACK with one to five return codes.</summary>
    public static Gen<MqttPacket> SubAck { get; } =
        from id in PacketId
        from codes in Gen.Choose(1, 5).SelectMany(n => Gen.Elements<byte>(0, 1, 2, SubAckPacket.Failure).ArrayOf(n))
        select (MqttPacket)new SubAckPacket(id, codes);

    /// <summary>UNSUBSCRIBE with one to five filters.</summary>
    public static Gen<MqttPacket> Unsubscribe { get; } =
        from id in PacketId
        from filters in Gen.Choose(1, 5).SelectMany(n => TopicFilter.ArrayOf(n))
        select (MqttPacket)new UnsubscribePacket(id, filters);

    /// <summary>The packets that hold only a packet identifier.</summary>
    public static Gen<MqttPacket> IdOnly { get; } = PacketId.SelectMany(id => Gen.Elements<MqttPacket>(
        new PubAckPacket(id), new PubRecPacket(id), new PubRelPacket(id), new PubCompPacket(id), new UnsubAckPacket(id)));

    /// <summary>The packets with no fields.</summary>
    public static Gen<MqttPacket> Empty { get; } =
        Gen.Elements<MqttPacket>(PingReqPacket.Instance, PingRespPacket.Instance, DisconnectPacket.Instance);

    /// <summary>Any packet, every type about equally likely.</summary>
    public static Gen<MqttPacket> Packet { get; } = Gen.Frequency(
        (3, Connect), (1, ConnAck), (4, Publish), (2, Subscribe), (1, SubAck), (2, Unsubscribe), (2, IdOnly), (1, Empty));
}
