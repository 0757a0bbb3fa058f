using System.Buffers;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Protocol.V5;

/// <summary>Random valid MQTT 5 packets of every type, drawn from spec/'s tables, and their encoding and decoding.</summary>
internal static class Mqtt5Packets
{
    private static readonly ReasonCodeRow[] Codes = ReasonCodeTable.CreateRows();

    /// <summary>One packet of a type chosen by <paramref name="random"/>, every optional part present or not.</summary>
    public static MqttPacket Random(Random random)
    {
        ushort Id() => (ushort)random.Next(1, 65536);
        MqttProperties? Props(PropertyContext c) => Properties(c, random);

        byte Code(PropertyContext c)
        {
            ReasonCodeRow[] allowed = [.. Codes.Where(r => (r.Packets & c) != 0)];
            return (byte)allowed[random.Next(allowed.Length)].Code;
        }

        string Topic() => random.Next(3) == 0 ? "a/b/température" : "t/" + random.Next(1000);
        ReadOnlyMemory<byte> Bytes(int max) => Enumerable.Range(0, random.Next(max)).Select(_ => (byte)random.Next(256)).ToArray();

        switch (random.Next(15))
        {
            case 0: return RandomConnect(random);
            case 1: return RandomConnAck(random);
            case 2:
                var qos = (MqttQualityOfService)random.Next(3);
                return new PublishPacket(Topic(), Bytes(50), qos, random.Next(2) == 0, qos != MqttQualityOfService.AtMostOnce && random.Next(2) == 0,
                    qos == MqttQualityOfService.AtMostOnce ? (ushort)0 : Id(), Props(PropertyContext.Publish));
            case 3: return new PubAckPacket(Id(), Code(PropertyContext.PubAck), Props(PropertyContext.PubAck));
            case 4: return new PubRecPacket(Id(), Code(PropertyContext.PubRec), Props(PropertyContext.PubRec));
            case 5: return new PubRelPacket(Id(), Code(PropertyContext.PubRel), Props(PropertyContext.PubRel));
            case 6: return new PubCompPacket(Id(), Code(PropertyContext.PubComp), Props(PropertyContext.PubComp));
            case 7:
                return new SubscribePacket(Id(), [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => new TopicSubscription(
                    random.Next(2) == 0 ? "a/+/c" : "x/#", (MqttQualityOfService)random.Next(3), random.Next(2) == 0, random.Next(2) == 0, random.Next(3)))],
                    Props(PropertyContext.Subscribe));
            case 8: return new SubAckPacket(Id(), [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => Code(PropertyContext.SubAck))], Props(PropertyContext.SubAck));
            case 9: return new UnsubscribePacket(Id(), [.. Enumerable.Range(0, random.Next(1, 4)).Select(i => "u/" + i)], Props(PropertyContext.Unsubscribe));
            case 10: return new UnsubAckPacket(Id(), [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => Code(PropertyContext.UnsubAck))], Props(PropertyContext.UnsubAck));
            case 11: return PingReqPacket.Instance;
            case 12: return PingRespPacket.Instance;
            case 13:
                byte disconnectCode = Code(PropertyContext.Disconnect);
                MqttProperties? disconnectProperties = Props(PropertyContext.Disconnect);
                return disconnectCode == 0 && disconnectProperties is null ? DisconnectPacket.Instance : new DisconnectPacket(disconnectCode, disconnectProperties);
            default: return new AuthPacket(Code(PropertyContext.Auth), Props(PropertyContext.Auth));
        }
    }

    /// <summary>
    /// A CONNECT with every part MQTT 5 allows present or not: an empty client identifier under either Clean Start [MQTT-3.1.3-6],
    /// keep alive at its bounds, a user name and a password each with or without the other [MQTT-3.1.2-19], and a will at
    /// every QoS with its own properties.
    /// </summary>
    public static ConnectPacket RandomConnect(Random random)
    {
        T Pick<T>(params T[] choices) => choices[random.Next(choices.Length)];
        ReadOnlyMemory<byte> Bytes(int max) => Enumerable.Range(0, random.Next(max)).Select(_ => (byte)random.Next(256)).ToArray();
        MqttWill? will = random.Next(2) == 0 ? null : new MqttWill(
            Pick("w", "a/b/température", "will/" + random.Next(1000)), Bytes(20), (MqttQualityOfService)random.Next(3), random.Next(2) == 0, Properties(PropertyContext.Will, random));
        return new ConnectPacket(
            Pick("", "client-" + random.Next(100), "é€漢"),
            random.Next(2) == 0,
            Pick<ushort>(0, 65535, (ushort)random.Next(65536)),
            Pick<string?>(null, "", "user", "usér"),
            random.Next(2) == 0 ? Bytes(10) : (ReadOnlyMemory<byte>?)null,
            will,
            Properties(PropertyContext.Connect, random));
    }

    /// <summary>A CONNACK with any reason code it may carry, Session Present only with success [MQTT-3.2.2-6], and any properties.</summary>
    public static ConnAckPacket RandomConnAck(Random random)
    {
        ReasonCodeRow[] allowed = [.. Codes.Where(r => (r.Packets & PropertyContext.ConnAck) != 0)];
        byte code = random.Next(2) == 0 ? (byte)0 : (byte)allowed[random.Next(allowed.Length)].Code; // success, the CONNACK that matters most, half the time
        return new ConnAckPacket(code == 0 && random.Next(2) == 0, (ConnectReturnCode)code, Properties(PropertyContext.ConnAck, random));
    }

    /// <summary>A valid property set for <paramref name="c"/> (one time in three none), held to the rules beyond the table's.</summary>
    private static MqttProperties? Properties(PropertyContext c, Random random)
    {
        if (random.Next(3) == 0)
        {
            return null;
        }

        MqttProperties set = PropertySets.Random(c, random);
        if (c == PropertyContext.Subscribe && set.SubscriptionIdentifiers.Count > 1)
        {
            set.SubscriptionIdentifiers.RemoveRange(1, set.SubscriptionIdentifiers.Count - 1);
        }

        if (set.ResponseTopic is { } topic && (topic.Length == 0 || topic.Contains('+') || topic.Contains('#')))
        {
            set.ResponseTopic = "reply/to";
        }

        return set.Present().Count == 0 ? null : set; // the decoder gives null for an empty section
    }

    public static byte[] Encode(MqttPacket packet)
    {
        var output = new ArrayBufferWriter<byte>();
        MqttPacketWriter.Write(packet, output, MqttProtocolVersion.V500);
        return output.WrittenSpan.ToArray();
    }

    public static MqttPacket Decode(byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        Xunit.Assert.True(MqttPacketReader.TryRead(ref buffer, int.MaxValue, MqttProtocolVersion.V500, out MqttPacket? packet), "the bytes hold no whole packet");
        Xunit.Assert.Equal(0, buffer.Length);
        return packet!;
    }

    /// <summary>The packet's fields as text, its property sets included, for comparing two packets.</summary>
    public static string Describe(MqttPacket packet)
    {
        string Props(MqttProperties? p) => p is null ? "-" : "{" + PropertySets.Describe(p).Replace('\n', ';') + "}";
        string Hex(ReadOnlyMemory<byte> b) => Convert.ToHexString(b.Span);
        return packet switch
        {
            ConnectPacket c => $"CONNECT {c.ClientId} clean={c.CleanSession} ka={c.KeepAliveSeconds} user={c.UserName} pw={(c.Password is { } pw ? Hex(pw) : "-")} " +
                $"will={(c.Will is { } w ? $"{w.Topic}/{Hex(w.Payload)}/{w.QualityOfService}/{w.Retain}/{Props(w.Properties)}" : "-")} {Props(c.Properties)}",
            ConnAckPacket a => $"CONNACK {a.SessionPresent} {(byte)a.ReturnCode} {Props(a.Properties)}",
            PublishPacket p => $"PUBLISH {p.Topic} {Hex(p.Payload)} {p.QualityOfService} {p.Retain} {p.Dup} {p.PacketId} {Props(p.Properties)}",
            PubAckPacket a => $"PUBACK {a.PacketId} {a.ReasonCode} {Props(a.Properties)}",
            PubRecPacket a => $"PUBREC {a.PacketId} {a.ReasonCode} {Props(a.Properties)}",
            PubRelPacket a => $"PUBREL {a.PacketId} {a.ReasonCode} {Props(a.Properties)}",
            PubCompPacket a => $"PUBCOMP {a.PacketId} {a.ReasonCode} {Props(a.Properties)}",
            SubscribePacket s => $"SUBSCRIBE {s.PacketId} {string.Join(",", s.Subscriptions.Select(f => $"{f.TopicFilter}/{f.QualityOfService}/{f.NoLocal}/{f.RetainAsPublished}/{f.RetainHandling}"))} {Props(s.Properties)}",
            SubAckPacket s => $"SUBACK {s.PacketId} {Convert.ToHexString([.. s.ReturnCodes])} {Props(s.Properties)}",
            UnsubscribePacket u => $"UNSUBSCRIBE {u.PacketId} {string.Join(",", u.TopicFilters)} {Props(u.Properties)}",
            UnsubAckPacket u => $"UNSUBACK {u.PacketId} {Convert.ToHexString([.. u.ReasonCodes ?? []])} {Props(u.Properties)}",
            DisconnectPacket d => $"DISCONNECT {d.ReasonCode} {Props(d.Properties)}",
            AuthPacket a => $"AUTH {a.ReasonCode} {Props(a.Properties)}",
            _ => packet.ToString()!,
        };
    }
}
