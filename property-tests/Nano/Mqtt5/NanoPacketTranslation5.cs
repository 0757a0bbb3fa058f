using System.Buffers;
using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.PropertyTests.Protocol.V5;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Nano.Mqtt5;

/// <summary>
/// Between core's MQTT 5 packet records and the device's MQTT 5 codec: what the device can write of a record, its bytes,
/// and the record a decoded NanoPacket with its NanoProperties stands for. The device keeps the properties it has fields
/// for (<see cref="Kept"/>); the others it checks and drops, so records are compared with those dropped on both sides.
/// </summary>
internal static class NanoPacketTranslation5
{
    private static readonly PacketKind[] ClientOnly = [PacketKind.Connect, PacketKind.Subscribe, PacketKind.Unsubscribe];

    /// <summary>True for CONNECT, SUBSCRIBE and UNSUBSCRIBE, which the device's MQTT 5 reader reads as their type alone.</summary>
    public static bool IsClientOnly(byte first) => ClientOnly.Contains((PacketKind)(first >> 4));

    /// <summary>The properties of <paramref name="p"/> the device keeps, or null when none.</summary>
    public static MqttProperties? Kept(MqttProperties? p)
    {
        if (p is null)
        {
            return null;
        }

        var kept = new MqttProperties
        {
            PayloadFormatIndicator = p.PayloadFormatIndicator,
            MessageExpiryInterval = p.MessageExpiryInterval,
            ContentType = p.ContentType,
            ResponseTopic = p.ResponseTopic,
            CorrelationData = p.CorrelationData,
            SessionExpiryInterval = p.SessionExpiryInterval,
            AssignedClientIdentifier = p.AssignedClientIdentifier,
            ServerKeepAlive = p.ServerKeepAlive,
            RequestProblemInformation = p.RequestProblemInformation,
            WillDelayInterval = p.WillDelayInterval,
            RequestResponseInformation = p.RequestResponseInformation,
            ResponseInformation = p.ResponseInformation,
            ServerReference = p.ServerReference,
            ReasonString = p.ReasonString,
            ReceiveMaximum = p.ReceiveMaximum,
            TopicAliasMaximum = p.TopicAliasMaximum,
            TopicAlias = p.TopicAlias,
            MaximumPacketSize = p.MaximumPacketSize,
        };
        kept.SubscriptionIdentifiers.AddRange(p.SubscriptionIdentifiers);
        kept.UserProperties.AddRange(p.UserProperties);
        return kept.Present().Count == 0 ? null : kept;
    }

    /// <summary>
    /// <paramref name="packet"/> as the device could write it — its properties cut to those the device sends in that packet
    /// (acknowledgements and DISCONNECT as success without properties) — or null for a packet
    /// only a broker sends.
    /// </summary>
    public static MqttPacket? DeviceWritable(MqttPacket packet) => packet switch
    {
        ConnectPacket c => c with
        {
            Properties = Kept(c.Properties),
            Will = c.Will is null ? null : c.Will with { Properties = Kept(c.Will.Properties) },
        },
        PublishPacket p => p with { Properties = Kept(p.Properties) },
        PubAckPacket a => new PubAckPacket(a.PacketId),
        PubRecPacket a => new PubRecPacket(a.PacketId),
        PubRelPacket a => new PubRelPacket(a.PacketId),
        PubCompPacket a => new PubCompPacket(a.PacketId),
        SubscribePacket s => s with { Properties = Kept(s.Properties) },
        UnsubscribePacket u => u with { Properties = Kept(u.Properties) },
        PingReqPacket => packet,
        DisconnectPacket => DisconnectPacket.Instance,
        _ => null,
    };

    /// <summary>The bytes the device's MQTT 5 writers write for <paramref name="packet"/> (one <see cref="DeviceWritable"/> gave).</summary>
    public static byte[] Encode(MqttPacket packet)
    {
        var buffer = new byte[1 << 17];
        int length = packet switch
        {
            ConnectPacket c => NanoPacketWriter.WriteConnect5(buffer, 0, Connect(c), c.ClientId, c.CleanSession, ToNano(c.Properties)),
            PublishPacket p => NanoPacketWriter.WritePublish5(buffer, 0, p.Topic, p.Payload.ToArray(), (int)p.QualityOfService, p.Retain, p.Dup, p.PacketId, ToNano(p.Properties, keepAlias: false), p.Properties?.TopicAlias ?? 0),
            SubscribePacket s => NanoPacketWriter.WriteSubscribe5(buffer, 0, s.PacketId, [.. s.Subscriptions.Select(x => x.TopicFilter)], [.. s.Subscriptions.Select(x => (int)x.QualityOfService)],
                [.. s.Subscriptions.Select(x => (x.NoLocal ? 0x04 : 0) | (x.RetainAsPublished ? 0x08 : 0) | (x.RetainHandling << 4))], ToNano(s.Properties)),
            UnsubscribePacket u => NanoPacketWriter.WriteUnsubscribe5(buffer, 0, u.PacketId, [.. u.TopicFilters], ToNano(u.Properties)),
            _ => -2,
        };
        return length == -2 ? NanoPacketTranslation.Encode(packet) : buffer[..length];
    }

    /// <summary>The core record a NanoPacket read by TryRead5 stands for, with the properties the device kept.</summary>
    public static MqttPacket ToCore(NanoPacket packet, NanoProperties? properties)
    {
        MqttProperties? p = FromNano(properties);
        return packet.Type switch
        {
            NanoPacketType.ConnAck => new ConnAckPacket(packet.SessionPresent, (ConnectReturnCode)packet.ReturnCode, p),
            NanoPacketType.Publish => new PublishPacket(packet.Topic, packet.Payload, (MqttQualityOfService)packet.Qos, packet.Retain, packet.Dup, (ushort)packet.PacketId, p),
            NanoPacketType.PubAck => new PubAckPacket((ushort)packet.PacketId, (byte)packet.ReturnCode, p),
            NanoPacketType.PubRec => new PubRecPacket((ushort)packet.PacketId, (byte)packet.ReturnCode, p),
            NanoPacketType.PubRel => new PubRelPacket((ushort)packet.PacketId, (byte)packet.ReturnCode, p),
            NanoPacketType.PubComp => new PubCompPacket((ushort)packet.PacketId, (byte)packet.ReturnCode, p),
            NanoPacketType.SubAck => new SubAckPacket((ushort)packet.PacketId, packet.ReturnCodes, p),
            NanoPacketType.UnsubAck => new UnsubAckPacket((ushort)packet.PacketId, packet.ReturnCodes, p),
            NanoPacketType.PingReq => PingReqPacket.Instance,
            NanoPacketType.PingResp => PingRespPacket.Instance,
            NanoPacketType.Disconnect => packet.ReturnCode == 0 && p is null ? DisconnectPacket.Instance : new DisconnectPacket((byte)packet.ReturnCode, p),
            NanoPacketType.Auth => new AuthPacket((byte)packet.ReturnCode, p),
            _ => throw new ArgumentException($"NanoPacket type {packet.Type} is read as its type alone under MQTT 5.", nameof(packet)),
        };
    }

    /// <summary>What core's MQTT 5 reader and the device's make of <paramref name="bytes"/>: "packet …", "more", "refused", or (device) "client-only".</summary>
    public static (string Core, string Nano) Verdicts(byte[] bytes, int maximumPacketSize = 4096)
    {
        string core;
        try
        {
            var sequence = new ReadOnlySequence<byte>(bytes);
            core = MqttPacketReader.TryRead(ref sequence, maximumPacketSize, MqttProtocolVersion.V500, out MqttPacket? packet)
                ? "packet " + Mqtt5Packets.Describe(Comparable(packet)) + " taking " + (bytes.Length - sequence.Length)
                : "more";
        }
        catch (MqttProtocolException)
        {
            core = CodecVerdict.Refused;
        }

        string nano;
        try
        {
            var decoded = new NanoPacket();
            int taken = NanoPacketReader.TryRead5(bytes, 0, bytes.Length, maximumPacketSize, decoded, out NanoProperties? properties);
            nano = taken == 0 ? "more"
                : IsClientOnly(bytes[0]) ? "client-only " + decoded.Type + " taking " + taken
                : "packet " + Mqtt5Packets.Describe(ToCore(decoded, properties)) + " taking " + taken;
        }
        catch (NanoProtocolException)
        {
            nano = CodecVerdict.Refused;
        }

        return (core, nano);
    }

    /// <summary><paramref name="packet"/> with its properties cut to those the device keeps, for comparing with what it read.</summary>
    public static MqttPacket Comparable(MqttPacket packet) => packet switch
    {
        ConnAckPacket a => a with { Properties = Kept(a.Properties) },
        PublishPacket p => p with { Properties = Kept(p.Properties) },
        PubAckPacket a => a with { Properties = Kept(a.Properties) },
        PubRecPacket a => a with { Properties = Kept(a.Properties) },
        PubRelPacket a => a with { Properties = Kept(a.Properties) },
        PubCompPacket a => a with { Properties = Kept(a.Properties) },
        SubAckPacket a => a with { Properties = Kept(a.Properties) },
        UnsubAckPacket a => a with { Properties = Kept(a.Properties) },
        DisconnectPacket d when d.ReasonCode == 0 && Kept(d.Properties) is null => DisconnectPacket.Instance,
        DisconnectPacket d => new DisconnectPacket(d.ReasonCode, Kept(d.Properties)),
        AuthPacket a => a with { Properties = Kept(a.Properties) },
        _ => packet,
    };

    /// <summary>A core property set as the device's (null stays null).</summary>
    public static NanoProperties? ToNano(MqttProperties? p, bool keepAlias = true)
    {
        if (p is null)
        {
            return null;
        }

        var n = new NanoProperties
        {
            PayloadFormatIndicator = p.PayloadFormatIndicator ?? -1,
            MessageExpiryInterval = p.MessageExpiryInterval is { } e ? e : -1,
            ContentType = p.ContentType,
            ResponseTopic = p.ResponseTopic,
            CorrelationData = p.CorrelationData?.ToArray(),
            SubscriptionIdentifiers = p.SubscriptionIdentifiers.Count == 0 ? null : [.. p.SubscriptionIdentifiers.Select(i => (int)i)],
            TopicAlias = keepAlias ? p.TopicAlias ?? 0 : 0,
            SessionExpiryInterval = p.SessionExpiryInterval is { } s ? s : -1,
            ReceiveMaximum = p.ReceiveMaximum ?? -1,
            MaximumPacketSize = p.MaximumPacketSize is { } m ? m : -1,
            TopicAliasMaximum = p.TopicAliasMaximum ?? -1,
            AssignedClientIdentifier = p.AssignedClientIdentifier,
            ServerKeepAlive = p.ServerKeepAlive ?? -1,
            RequestProblemInformation = p.RequestProblemInformation ?? -1,
            WillDelayInterval = p.WillDelayInterval is { } d ? d : -1,
            RequestResponseInformation = p.RequestResponseInformation ?? -1,
            ResponseInformation = p.ResponseInformation,
            ReasonString = p.ReasonString,
            ServerReference = p.ServerReference,
        };
        foreach (MqttUserProperty pair in p.UserProperties)
        {
            n.AddUserProperty(pair.Name, pair.Value);
        }

        return n;
    }

    /// <summary>The device's property set as core's, or null when it holds nothing.</summary>
    public static MqttProperties? FromNano(NanoProperties? n)
    {
        if (n is null)
        {
            return null;
        }

        var p = new MqttProperties
        {
            PayloadFormatIndicator = n.PayloadFormatIndicator < 0 ? null : (byte)n.PayloadFormatIndicator,
            MessageExpiryInterval = n.MessageExpiryInterval < 0 ? null : (uint)n.MessageExpiryInterval,
            ContentType = n.ContentType,
            ResponseTopic = n.ResponseTopic,
            CorrelationData = n.CorrelationData is { } correlation ? (ReadOnlyMemory<byte>?)correlation : null, // a null array would convert to empty memory
            TopicAlias = n.TopicAlias == 0 ? null : (ushort)n.TopicAlias,
            SessionExpiryInterval = n.SessionExpiryInterval < 0 ? null : (uint)n.SessionExpiryInterval,
            ReceiveMaximum = n.ReceiveMaximum < 0 ? null : (ushort)n.ReceiveMaximum,
            MaximumPacketSize = n.MaximumPacketSize < 0 ? null : (uint)n.MaximumPacketSize,
            TopicAliasMaximum = n.TopicAliasMaximum < 0 ? null : (ushort)n.TopicAliasMaximum,
            AssignedClientIdentifier = n.AssignedClientIdentifier,
            ServerKeepAlive = n.ServerKeepAlive < 0 ? null : (ushort)n.ServerKeepAlive,
            RequestProblemInformation = n.RequestProblemInformation < 0 ? null : (byte)n.RequestProblemInformation,
            WillDelayInterval = n.WillDelayInterval < 0 ? null : (uint)n.WillDelayInterval,
            RequestResponseInformation = n.RequestResponseInformation < 0 ? null : (byte)n.RequestResponseInformation,
            ResponseInformation = n.ResponseInformation,
            ReasonString = n.ReasonString,
            ServerReference = n.ServerReference,
        };
        p.SubscriptionIdentifiers.AddRange((n.SubscriptionIdentifiers ?? []).Select(i => (uint)i));
        p.UserProperties.AddRange((n.UserProperties ?? []).Select(u => new MqttUserProperty(u.Name, u.Value)));
        return p.Present().Count == 0 ? null : p;
    }

    private static NanoConnectOptions Connect(ConnectPacket c) => new()
    {
        ClientId = c.ClientId,
        CleanSession = c.CleanSession,
        KeepAliveSeconds = c.KeepAliveSeconds,
        UserName = c.UserName,
        Password = c.Password?.ToArray(),
        WillTopic = c.Will?.Topic,
        WillPayload = c.Will?.Payload.ToArray(),
        WillQos = (int)(c.Will?.QualityOfService ?? 0),
        WillRetain = c.Will?.Retain ?? false,
        WillProperties = ToNano(c.Will?.Properties),
    };
}
