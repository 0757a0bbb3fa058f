using System.Buffers;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using Ours = StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Protocol;

/// <summary>
/// Translates packets between this codec's records and MQTTnet's packet classes, so MQTTnet's independent MQTT 3.1.1
/// formatter can serve as an oracle for the bytes.
/// </summary>
internal static class MqttNetTranslation
{
    /// <summary>The MQTTnet packet with the same fields as <paramref name="packet"/>.</summary>
    public static MQTTnet.Packets.MqttPacket ToMqttNet(Ours.MqttPacket packet) => packet switch
    {
        ConnectPacket c => new MqttConnectPacket
        {
            ClientId = c.ClientId,
            CleanSession = c.CleanSession,
            KeepAlivePeriod = c.KeepAliveSeconds,
            Username = c.UserName,
            Password = c.Password?.ToArray(),
            WillFlag = c.Will is not null,
            WillTopic = c.Will?.Topic,
            WillMessage = c.Will?.Payload.ToArray(),
            WillQoS = (MqttQualityOfServiceLevel)(c.Will?.QualityOfService ?? MqttQualityOfService.AtMostOnce),
            WillRetain = c.Will?.Retain ?? false,
        },
        ConnAckPacket a => new MqttConnAckPacket { IsSessionPresent = a.SessionPresent, ReturnCode = (MqttConnectReturnCode)a.ReturnCode },
        PublishPacket p => new MqttPublishPacket
        {
            Topic = p.Topic,
            PayloadSegment = new ArraySegment<byte>(p.Payload.ToArray()),
            QualityOfServiceLevel = (MqttQualityOfServiceLevel)p.QualityOfService,
            Retain = p.Retain,
            Dup = p.Dup,
            PacketIdentifier = p.PacketId,
        },
        PubAckPacket a => new MqttPubAckPacket { PacketIdentifier = a.PacketId },
        PubRecPacket a => new MqttPubRecPacket { PacketIdentifier = a.PacketId },
        PubRelPacket a => new MqttPubRelPacket { PacketIdentifier = a.PacketId },
        PubCompPacket a => new MqttPubCompPacket { PacketIdentifier = a.PacketId },
        SubscribePacket s => new MqttSubscribePacket
        {
            PacketIdentifier = s.PacketId,
            TopicFilters = s.Subscriptions.Select(f => new MqttTopicFilter { Topic = f.TopicFilter, QualityOfServiceLevel = (MqttQualityOfServiceLevel)f.QualityOfService }).ToList(),
        },
        SubAckPacket s => new MqttSubAckPacket
        {
            PacketIdentifier = s.PacketId,
            ReasonCodes = s.ReturnCodes.Select(code => code == SubAckPacket.Failure ? MqttSubscribeReasonCode.UnspecifiedError : (MqttSubscribeReasonCode)code).ToList(),
        },
        UnsubscribePacket u => new MqttUnsubscribePacket { PacketIdentifier = u.PacketId, TopicFilters = u.TopicFilters.ToList() },
        UnsubAckPacket a => new MqttUnsubAckPacket { PacketIdentifier = a.PacketId },
        PingReqPacket => MqttPingReqPacket.Instance,
        PingRespPacket => MqttPingRespPacket.Instance,
        DisconnectPacket => new MqttDisconnectPacket(),
        _ => throw new ArgumentException($"No MQTTnet translation for {packet.GetType().Name}.", nameof(packet)),
    };

    /// <summary>This codec's record with the same fields as MQTTnet's <paramref name="packet"/>.</summary>
    public static Ours.MqttPacket FromMqttNet(MQTTnet.Packets.MqttPacket packet) => packet switch
    {
        MqttConnectPacket c => new ConnectPacket(
            c.ClientId,
            c.CleanSession,
            c.KeepAlivePeriod,
            c.Username,
            c.Password is null ? (ReadOnlyMemory<byte>?)null : new ReadOnlyMemory<byte>(c.Password),
            c.WillFlag ? new MqttWill(c.WillTopic, c.WillMessage ?? [], (MqttQualityOfService)c.WillQoS, c.WillRetain) : null),
        MqttConnAckPacket a => new ConnAckPacket(a.IsSessionPresent, (ConnectReturnCode)a.ReturnCode),
        MqttPublishPacket p => new PublishPacket(p.Topic, p.Payload.ToArray(), (MqttQualityOfService)p.QualityOfServiceLevel, p.Retain, p.Dup, p.PacketIdentifier),
        MqttPubAckPacket a => new PubAckPacket(a.PacketIdentifier),
        MqttPubRecPacket a => new PubRecPacket(a.PacketIdentifier),
        MqttPubRelPacket a => new PubRelPacket(a.PacketIdentifier),
        MqttPubCompPacket a => new PubCompPacket(a.PacketIdentifier),
        MqttSubscribePacket s => new SubscribePacket(
            s.PacketIdentifier,
            s.TopicFilters.Select(f => new TopicSubscription(f.Topic, (MqttQualityOfService)f.QualityOfServiceLevel)).ToArray()),
        MqttSubAckPacket s => new SubAckPacket(
            s.PacketIdentifier,
            s.ReasonCodes.Select(code => code <= MqttSubscribeReasonCode.GrantedQoS2 ? (byte)code : SubAckPacket.Failure).ToArray()),
        MqttUnsubscribePacket u => new UnsubscribePacket(u.PacketIdentifier, u.TopicFilters.ToArray()),
        MqttUnsubAckPacket a => new UnsubAckPacket(a.PacketIdentifier),
        MqttPingReqPacket => PingReqPacket.Instance,
        MqttPingRespPacket => PingRespPacket.Instance,
        MqttDisconnectPacket => DisconnectPacket.Instance,
        _ => throw new ArgumentException($"No translation for MQTTnet's {packet.GetType().Name}.", nameof(packet)),
    };
}
