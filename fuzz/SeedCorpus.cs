using System.Buffers;
using System.Text;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Fuzz;

/// <summary>
/// The seed corpus: one small valid packet of every type the decoders read, in both versions, written by core/'s
/// MqttPacketWriter, plus a few edge cases by hand (packets back to back, a non-minimal or overlong Remaining Length, a
/// PUBLISH over the maximum size, a truncated packet). Written to fuzz/corpus/&lt;target&gt;/ by
/// <c>dotnet run --project fuzz -- corpus fuzz/corpus</c>; the files are committed.
/// </summary>
public static class SeedCorpus
{
    /// <summary>The seeds for <paramref name="target"/>, by file name.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> For(DecoderTarget target) => target switch
    {
        DecoderTarget.Core5 or DecoderTarget.Nano5 => Version5(),
        DecoderTarget.All => [.. Version311().Select(s => ("v311-" + s.Item1, s.Item2)), .. Version5().Select(s => ("v5-" + s.Item1, s.Item2))],
        _ => Version311(),
    };

    /// <summary>Writes every target's seeds under <paramref name="root"/>/&lt;target&gt;/, replacing what was there. Returns the file count.</summary>
    public static int Write(string root)
    {
        int files = 0;
        foreach (DecoderTarget target in Enum.GetValues<DecoderTarget>())
        {
            string folder = Path.Combine(root, DecoderTargets.NameOf(target));
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            Directory.CreateDirectory(folder);
            foreach ((string name, byte[] bytes) in For(target))
            {
                File.WriteAllBytes(Path.Combine(folder, name + ".bin"), bytes);
                files++;
            }
        }

        return files;
    }

    private static List<(string, byte[])> Version311()
    {
        const MqttProtocolVersion v = MqttProtocolVersion.V311;
        var will = new MqttWill("will/topic", Bytes("gone"), MqttQualityOfService.AtLeastOnce, Retain: true);
        var seeds = new List<(string, byte[])>
        {
            ("connect", Encode(new ConnectPacket("client-1", CleanSession: true, KeepAliveSeconds: 60), v)),
            ("connect-will-credentials", Encode(new ConnectPacket("c", CleanSession: false, 5, "user", Bytes("secret"), will), v)),
            ("connack-accepted", Encode(new ConnAckPacket(SessionPresent: false, ConnectReturnCode.Accepted), v)),
            ("connack-session-present", Encode(new ConnAckPacket(SessionPresent: true, ConnectReturnCode.Accepted), v)),
            ("connack-not-authorized", Encode(new ConnAckPacket(SessionPresent: false, ConnectReturnCode.NotAuthorized), v)),
            ("publish-qos0", Encode(new PublishPacket("a/b", Bytes("hello"), MqttQualityOfService.AtMostOnce, Retain: false, Dup: false, 0), v)),
            ("publish-qos1-dup-retain", Encode(new PublishPacket("sensors/1/t", Bytes("21.5"), MqttQualityOfService.AtLeastOnce, Retain: true, Dup: true, 7), v)),
            ("publish-qos2-empty", Encode(new PublishPacket("x", ReadOnlyMemory<byte>.Empty, MqttQualityOfService.ExactlyOnce, Retain: false, Dup: false, 65535), v)),
            ("publish-utf8-topic", Encode(new PublishPacket("häuser/日本", Bytes("ü"), MqttQualityOfService.AtLeastOnce, Retain: false, Dup: false, 300), v)),
            ("puback", Encode(new PubAckPacket(1), v)),
            ("pubrec", Encode(new PubRecPacket(2), v)),
            ("pubrel", Encode(new PubRelPacket(3), v)),
            ("pubcomp", Encode(new PubCompPacket(4), v)),
            ("subscribe", Encode(new SubscribePacket(10, [new TopicSubscription("a/+", MqttQualityOfService.AtLeastOnce), new TopicSubscription("#", MqttQualityOfService.ExactlyOnce)]), v)),
            ("suback", Encode(new SubAckPacket(10, [0x00, 0x01, 0x02, 0x80]), v)),
            ("unsubscribe", Encode(new UnsubscribePacket(11, ["a/+", "b"]), v)),
            ("unsuback", Encode(new UnsubAckPacket(11), v)),
            ("pingreq", Encode(PingReqPacket.Instance, v)),
            ("pingresp", Encode(PingRespPacket.Instance, v)),
            ("disconnect", Encode(DisconnectPacket.Instance, v)),
        };
        AddEdgeCases(seeds);
        return seeds;
    }

    private static List<(string, byte[])> Version5()
    {
        const MqttProtocolVersion v = MqttProtocolVersion.V500;
        var connectProperties = new MqttProperties { SessionExpiryInterval = 3600, ReceiveMaximum = 20, MaximumPacketSize = 512, TopicAliasMaximum = 4, RequestProblemInformation = 1 };
        connectProperties.UserProperties.Add(new MqttUserProperty("k", "v"));
        var willProperties = new MqttProperties { WillDelayInterval = 5, PayloadFormatIndicator = 1, ContentType = "text/plain" };
        var will = new MqttWill("will/topic", Bytes("gone"), MqttQualityOfService.AtLeastOnce, Retain: false, willProperties);
        var connAckProperties = new MqttProperties
        {
            SessionExpiryInterval = 60, ReceiveMaximum = 10, MaximumQoS = 1, RetainAvailable = 0, MaximumPacketSize = 1024,
            AssignedClientIdentifier = "auto-1", TopicAliasMaximum = 8, ReasonString = "ok", WildcardSubscriptionAvailable = 1,
            SubscriptionIdentifierAvailable = 1, SharedSubscriptionAvailable = 0, ServerKeepAlive = 30,
        };
        var publishProperties = new MqttProperties
        {
            PayloadFormatIndicator = 1, MessageExpiryInterval = 120, TopicAlias = 1, ResponseTopic = "reply/to",
            CorrelationData = Bytes("id-1"), ContentType = "application/json",
        };
        publishProperties.SubscriptionIdentifiers.Add(5);
        publishProperties.UserProperties.Add(new MqttUserProperty("trace", "abc"));
        var reason = new MqttProperties { ReasonString = "why" };
        var subscribeProperties = new MqttProperties();
        subscribeProperties.SubscriptionIdentifiers.Add(5);
        var authProperties = new MqttProperties { AuthenticationMethod = "SCRAM-SHA-1", AuthenticationData = Bytes("challenge") };
        var seeds = new List<(string, byte[])>
        {
            ("connect", Encode(new ConnectPacket("client-1", CleanSession: true, KeepAliveSeconds: 60), v)),
            ("connect-properties-will", Encode(new ConnectPacket("c", CleanSession: false, 5, "user", Bytes("secret"), will, connectProperties), v)),
            ("connack-accepted", Encode(new ConnAckPacket(SessionPresent: false, ConnectReturnCode.Accepted), v)),
            ("connack-properties", Encode(new ConnAckPacket(SessionPresent: true, ConnectReturnCode.Accepted, connAckProperties), v)),
            ("connack-refused-0x87", Encode(new ConnAckPacket(SessionPresent: false, (ConnectReturnCode)0x87, reason), v)),
            ("publish-qos0", Encode(new PublishPacket("a/b", Bytes("hello"), MqttQualityOfService.AtMostOnce, Retain: false, Dup: false, 0), v)),
            ("publish-qos1-properties", Encode(new PublishPacket("sensors/1/t", Bytes("{\"t\":21.5}"), MqttQualityOfService.AtLeastOnce, Retain: true, Dup: true, 7, publishProperties), v)),
            ("publish-qos2-alias-only", Encode(new PublishPacket("", Bytes("x"), MqttQualityOfService.ExactlyOnce, Retain: false, Dup: false, 9, new MqttProperties { TopicAlias = 1 }), v)),
            ("puback", Encode(new PubAckPacket(1), v)),
            ("puback-reason", Encode(new PubAckPacket(1, 0x10, reason), v)),
            ("pubrec-reason", Encode(new PubRecPacket(2, 0x80), v)),
            ("pubrel", Encode(new PubRelPacket(3), v)),
            ("pubcomp-reason", Encode(new PubCompPacket(4, 0x92), v)),
            ("subscribe-options", Encode(new SubscribePacket(10, [new TopicSubscription("a/+", MqttQualityOfService.AtLeastOnce, NoLocal: true, RetainAsPublished: true, RetainHandling: 2)], subscribeProperties), v)),
            ("suback", Encode(new SubAckPacket(10, [0x00, 0x01, 0x02, 0x80, 0x87], reason), v)),
            ("unsubscribe", Encode(new UnsubscribePacket(11, ["a/+", "b"]), v)),
            ("unsuback", Encode(new UnsubAckPacket(11, [0x00, 0x11]), v)),
            ("pingreq", Encode(PingReqPacket.Instance, v)),
            ("pingresp", Encode(PingRespPacket.Instance, v)),
            ("disconnect", Encode(DisconnectPacket.Instance, v)),
            ("disconnect-reason", Encode(new DisconnectPacket(0x8E, reason), v)),
            ("auth", Encode(new AuthPacket(0x18, authProperties), v)),
        };
        AddEdgeCases(seeds);
        return seeds;
    }

    // Hand-made bytes, the same in both versions: each is where a decoder must count carefully.
    private static void AddEdgeCases(List<(string, byte[])> seeds)
    {
        byte[] publish = seeds.Find(s => s.Item1 == "publish-qos0").Item2;
        byte[] puback = seeds.Find(s => s.Item1 == "puback").Item2;
        seeds.Add(("edge-publish-then-puback", [.. publish, .. puback]));
        seeds.Add(("edge-pingresp-non-minimal-length", [0xD0, 0x80, 0x00]));
        seeds.Add(("edge-remaining-length-maximum", [0x30, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x01, (byte)'t']));
        seeds.Add(("edge-remaining-length-five-bytes", [0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]));
        seeds.Add(("edge-publish-over-maximum", [0x32, 0x90, 0x04, 0x00, 0x01, (byte)'t', 0x00, 0x05, 0x01, 0x02, 0x03]));
        seeds.Add(("edge-publish-truncated", publish[..^2]));
        seeds.Add(("edge-string-length-overruns", [0x30, 0x05, 0x00, 0x09, (byte)'a', (byte)'b', (byte)'c']));
        seeds.Add(("edge-reserved-type", [0x00, 0x00]));
    }

    private static byte[] Encode(MqttPacket packet, MqttProtocolVersion version)
    {
        var output = new ArrayBufferWriter<byte>();
        MqttPacketWriter.Write(packet, output, version);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
