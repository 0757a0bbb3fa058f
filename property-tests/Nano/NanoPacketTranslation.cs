using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>Between core's packet records and the device codec: encode a record with NanoPacketWriter, and turn a NanoPacket back into a record.</summary>
internal static class NanoPacketTranslation
{
    /// <summary>The bytes NanoPacketWriter writes for <paramref name="packet"/>.</summary>
    public static byte[] Encode(MqttPacket packet)
    {
        var buffer = new byte[1 << 17];
        int length = packet switch
        {
            ConnectPacket c => NanoPacketWriter.WriteConnect(buffer, 0, ToNano(c)),
            ConnAckPacket c => NanoPacketWriter.WriteConnAck(buffer, 0, c.SessionPresent, (int)c.ReturnCode),
            PublishPacket p => NanoPacketWriter.WritePublish(buffer, 0, p.Topic, p.Payload.ToArray(), (int)p.QualityOfService, p.Retain, p.Dup, p.PacketId),
            PubAckPacket p => NanoPacketWriter.WritePubAck(buffer, 0, p.PacketId),
            PubRecPacket p => NanoPacketWriter.WritePubRec(buffer, 0, p.PacketId),
            PubRelPacket p => NanoPacketWriter.WritePubRel(buffer, 0, p.PacketId),
            PubCompPacket p => NanoPacketWriter.WritePubComp(buffer, 0, p.PacketId),
            SubscribePacket s => NanoPacketWriter.WriteSubscribe(buffer, 0, s.PacketId, [.. s.Subscriptions.Select(x => x.TopicFilter)], [.. s.Subscriptions.Select(x => (byte)x.QualityOfService)]),
            SubAckPacket s => NanoPacketWriter.WriteSubAck(buffer, 0, s.PacketId, [.. s.ReturnCodes]),
            UnsubscribePacket u => NanoPacketWriter.WriteUnsubscribe(buffer, 0, u.PacketId, [.. u.TopicFilters]),
            UnsubAckPacket u => NanoPacketWriter.WriteUnsubAck(buffer, 0, u.PacketId),
            PingReqPacket => NanoPacketWriter.WriteFixed(buffer, 0, NanoPacketWriter.PingReq),
            PingRespPacket => NanoPacketWriter.WriteFixed(buffer, 0, NanoPacketWriter.PingResp),
            DisconnectPacket => NanoPacketWriter.WriteFixed(buffer, 0, NanoPacketWriter.Disconnect),
            _ => throw new ArgumentException($"The device codec does not handle {packet.GetType().Name}.", nameof(packet)),
        };
        return buffer[..length];
    }

    /// <summary>The core record a decoded NanoPacket stands for.</summary>
    public static MqttPacket ToCore(NanoPacket packet) => packet.Type switch
    {
        NanoPacketType.Connect => FromNano(packet.Connect),
        NanoPacketType.ConnAck => new ConnAckPacket(packet.SessionPresent, (ConnectReturnCode)packet.ReturnCode),
        NanoPacketType.Publish when packet.BodyToSkip > 0 => new OversizedPublishPacket(packet.Topic, (MqttQualityOfService)packet.Qos, packet.Retain, packet.Dup, (ushort)packet.PacketId, packet.PacketSize, packet.BodyToSkip),
        NanoPacketType.Publish => new PublishPacket(packet.Topic, packet.Payload, (MqttQualityOfService)packet.Qos, packet.Retain, packet.Dup, (ushort)packet.PacketId),
        NanoPacketType.PubAck => new PubAckPacket((ushort)packet.PacketId),
        NanoPacketType.PubRec => new PubRecPacket((ushort)packet.PacketId),
        NanoPacketType.PubRel => new PubRelPacket((ushort)packet.PacketId),
        NanoPacketType.PubComp => new PubCompPacket((ushort)packet.PacketId),
        NanoPacketType.Subscribe => new SubscribePacket((ushort)packet.PacketId, [.. packet.TopicFilters.Zip(packet.RequestedQos, (f, q) => new TopicSubscription(f, (MqttQualityOfService)q))]),
        NanoPacketType.SubAck => new SubAckPacket((ushort)packet.PacketId, packet.ReturnCodes),
        NanoPacketType.Unsubscribe => new UnsubscribePacket((ushort)packet.PacketId, packet.TopicFilters),
        NanoPacketType.UnsubAck => new UnsubAckPacket((ushort)packet.PacketId),
        NanoPacketType.PingReq => PingReqPacket.Instance,
        NanoPacketType.PingResp => PingRespPacket.Instance,
        NanoPacketType.Disconnect => DisconnectPacket.Instance,
        _ => throw new ArgumentException($"NanoPacket type {packet.Type} has no core record.", nameof(packet)),
    };

    private static NanoConnectOptions ToNano(ConnectPacket c) => new()
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
    };

    private static ConnectPacket FromNano(NanoConnectOptions c) => new(
        c.ClientId,
        c.CleanSession,
        (ushort)c.KeepAliveSeconds,
        c.UserName,
        c.Password is null ? (ReadOnlyMemory<byte>?)null : new ReadOnlyMemory<byte>(c.Password),
        c.WillTopic is null ? null : new MqttWill(c.WillTopic, c.WillPayload, (MqttQualityOfService)c.WillQos, c.WillRetain));
}
