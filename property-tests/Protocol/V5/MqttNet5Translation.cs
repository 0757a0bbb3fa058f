using System.Buffers;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using Ours = StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Protocol.V5;

/// <summary>
/// Translates the packets MQTTnet models property by property (PUBLISH, the four publish acknowledgements, SUBSCRIBE, SUBACK,
/// UNSUBSCRIBE, UNSUBACK, DISCONNECT, AUTH) between this codec's records and MQTTnet's, so its MQTT 5 formatter can serve as an oracle.
/// </summary>
internal static class MqttNet5Translation
{
    public static bool Translatable(Ours.MqttPacket packet) => packet is PublishPacket or PubAckPacket or PubRecPacket or PubRelPacket
        or PubCompPacket or SubscribePacket or SubAckPacket or UnsubscribePacket or UnsubAckPacket or DisconnectPacket or AuthPacket or PingReqPacket or PingRespPacket
        && Distinguishable(PropertiesOf(packet));

    /// <summary>
    /// False when the set holds a value MQTTnet's model takes for "absent" (a 0 where it keeps a plain integer, empty binary
    /// data, an empty string): MQTTnet cannot carry those, so they say nothing about either codec.
    /// </summary>
    private static bool Distinguishable(MqttProperties? set) => set is null || !(
        set.PayloadFormatIndicator == 0 || set.MessageExpiryInterval == 0 || set.SessionExpiryInterval == 0
        || set.CorrelationData is { Length: 0 } || set.AuthenticationData is { Length: 0 }
        || set.Present().Any(p => p.Value is ""));

    private static MqttProperties? PropertiesOf(Ours.MqttPacket packet) => packet switch
    {
        PublishPacket p => p.Properties,
        PubAckPacket a => a.Properties,
        PubRecPacket a => a.Properties,
        PubRelPacket a => a.Properties,
        PubCompPacket a => a.Properties,
        SubscribePacket s => s.Properties,
        SubAckPacket s => s.Properties,
        UnsubscribePacket u => u.Properties,
        UnsubAckPacket u => u.Properties,
        DisconnectPacket d => d.Properties,
        AuthPacket a => a.Properties,
        _ => null,
    };

    public static MQTTnet.Packets.MqttPacket ToMqttNet(Ours.MqttPacket packet)
    {
        switch (packet)
        {
            case PublishPacket p:
                MqttProperties q = p.Properties ?? new();
                return new MqttPublishPacket
                {
                    Topic = p.Topic,
                    PayloadSegment = new ArraySegment<byte>(p.Payload.ToArray()),
                    QualityOfServiceLevel = (MqttQualityOfServiceLevel)p.QualityOfService,
                    Retain = p.Retain,
                    Dup = p.Dup,
                    PacketIdentifier = p.PacketId,
                    PayloadFormatIndicator = (MqttPayloadFormatIndicator)(q.PayloadFormatIndicator ?? 0),
                    MessageExpiryInterval = q.MessageExpiryInterval ?? 0,
                    ContentType = q.ContentType,
                    ResponseTopic = q.ResponseTopic,
                    CorrelationData = q.CorrelationData?.ToArray(),
                    SubscriptionIdentifiers = q.SubscriptionIdentifiers.Count == 0 ? null : [.. q.SubscriptionIdentifiers],
                    TopicAlias = q.TopicAlias ?? 0,
                    UserProperties = Users(q),
                };
            case PubAckPacket a: return new MqttPubAckPacket { PacketIdentifier = a.PacketId, ReasonCode = (MqttPubAckReasonCode)a.ReasonCode, ReasonString = a.Properties?.ReasonString, UserProperties = Users(a.Properties) };
            case PubRecPacket a: return new MqttPubRecPacket { PacketIdentifier = a.PacketId, ReasonCode = (MqttPubRecReasonCode)a.ReasonCode, ReasonString = a.Properties?.ReasonString, UserProperties = Users(a.Properties) };
            case PubRelPacket a: return new MqttPubRelPacket { PacketIdentifier = a.PacketId, ReasonCode = (MqttPubRelReasonCode)a.ReasonCode, ReasonString = a.Properties?.ReasonString, UserProperties = Users(a.Properties) };
            case PubCompPacket a: return new MqttPubCompPacket { PacketIdentifier = a.PacketId, ReasonCode = (MqttPubCompReasonCode)a.ReasonCode, ReasonString = a.Properties?.ReasonString, UserProperties = Users(a.Properties) };
            case SubscribePacket s:
                return new MqttSubscribePacket
                {
                    PacketIdentifier = s.PacketId,
                    TopicFilters = [.. s.Subscriptions.Select(f => new MqttTopicFilter
                    {
                        Topic = f.TopicFilter,
                        QualityOfServiceLevel = (MqttQualityOfServiceLevel)f.QualityOfService,
                        NoLocal = f.NoLocal,
                        RetainAsPublished = f.RetainAsPublished,
                        RetainHandling = (MQTTnet.Protocol.MqttRetainHandling)f.RetainHandling,
                    })],
                    SubscriptionIdentifier = s.Properties?.SubscriptionIdentifiers.FirstOrDefault() ?? 0,
                    UserProperties = Users(s.Properties),
                };
            case UnsubscribePacket u: return new MqttUnsubscribePacket { PacketIdentifier = u.PacketId, TopicFilters = [.. u.TopicFilters], UserProperties = Users(u.Properties) };
            case SubAckPacket s: return new MqttSubAckPacket { PacketIdentifier = s.PacketId, ReasonCodes = [.. s.ReturnCodes.Select(c => (MqttSubscribeReasonCode)c)], ReasonString = s.Properties?.ReasonString, UserProperties = Users(s.Properties) };
            case UnsubAckPacket u: return new MqttUnsubAckPacket { PacketIdentifier = u.PacketId, ReasonCodes = [.. u.ReasonCodes!.Select(c => (MqttUnsubscribeReasonCode)c)], ReasonString = u.Properties?.ReasonString, UserProperties = Users(u.Properties) };
            case DisconnectPacket d:
                return new MqttDisconnectPacket
                {
                    ReasonCode = (MqttDisconnectReasonCode)d.ReasonCode,
                    ReasonString = d.Properties?.ReasonString,
                    ServerReference = d.Properties?.ServerReference,
                    SessionExpiryInterval = d.Properties?.SessionExpiryInterval ?? 0,
                    UserProperties = Users(d.Properties),
                };
            case AuthPacket a:
                return new MqttAuthPacket
                {
                    ReasonCode = (MqttAuthenticateReasonCode)a.ReasonCode,
                    AuthenticationMethod = a.Properties?.AuthenticationMethod,
                    AuthenticationData = a.Properties?.AuthenticationData?.ToArray(),
                    ReasonString = a.Properties?.ReasonString,
                    UserProperties = Users(a.Properties),
                };
            case PingReqPacket: return MqttPingReqPacket.Instance;
            case PingRespPacket: return MqttPingRespPacket.Instance;
            default: throw new ArgumentException($"No MQTTnet translation for {packet.GetType().Name}.", nameof(packet));
        }
    }

    public static Ours.MqttPacket FromMqttNet(MQTTnet.Packets.MqttPacket packet)
    {
        switch (packet)
        {
            case MqttPublishPacket p:
                var q = new MqttProperties
                {
                    PayloadFormatIndicator = p.PayloadFormatIndicator == 0 ? null : (byte)p.PayloadFormatIndicator,
                    MessageExpiryInterval = p.MessageExpiryInterval == 0 ? null : p.MessageExpiryInterval,
                    ContentType = p.ContentType,
                    ResponseTopic = p.ResponseTopic,
                    CorrelationData = p.CorrelationData is { Length: > 0 } correlation ? (ReadOnlyMemory<byte>?)correlation : null,
                    TopicAlias = p.TopicAlias == 0 ? null : p.TopicAlias,
                };
                q.SubscriptionIdentifiers.AddRange(p.SubscriptionIdentifiers ?? []);
                AddUsers(q, p.UserProperties);
                return new PublishPacket(p.Topic, p.Payload.ToArray(), (MqttQualityOfService)p.QualityOfServiceLevel, p.Retain, p.Dup, p.PacketIdentifier, NullIfEmpty(q));
            case MqttPubAckPacket a: return new PubAckPacket(a.PacketIdentifier, (byte)a.ReasonCode, Reason(a.ReasonString, a.UserProperties));
            case MqttPubRecPacket a: return new PubRecPacket(a.PacketIdentifier, (byte)a.ReasonCode, Reason(a.ReasonString, a.UserProperties));
            case MqttPubRelPacket a: return new PubRelPacket(a.PacketIdentifier, (byte)a.ReasonCode, Reason(a.ReasonString, a.UserProperties));
            case MqttPubCompPacket a: return new PubCompPacket(a.PacketIdentifier, (byte)a.ReasonCode, Reason(a.ReasonString, a.UserProperties));
            case MqttSubscribePacket s:
                var subscribe = new MqttProperties();
                if (s.SubscriptionIdentifier != 0)
                {
                    subscribe.SubscriptionIdentifiers.Add(s.SubscriptionIdentifier);
                }

                AddUsers(subscribe, s.UserProperties);
                return new SubscribePacket(s.PacketIdentifier, [.. s.TopicFilters.Select(f => new TopicSubscription(f.Topic, (MqttQualityOfService)f.QualityOfServiceLevel, f.NoLocal, f.RetainAsPublished, (int)f.RetainHandling))], NullIfEmpty(subscribe));
            case MqttUnsubscribePacket u:
                var unsubscribe = new MqttProperties();
                AddUsers(unsubscribe, u.UserProperties);
                return new UnsubscribePacket(u.PacketIdentifier, [.. u.TopicFilters], NullIfEmpty(unsubscribe));
            case MqttSubAckPacket s: return new SubAckPacket(s.PacketIdentifier, [.. s.ReasonCodes.Select(c => (byte)c)], Reason(s.ReasonString, s.UserProperties));
            case MqttUnsubAckPacket u: return new UnsubAckPacket(u.PacketIdentifier, [.. u.ReasonCodes.Select(c => (byte)c)], Reason(u.ReasonString, u.UserProperties));
            case MqttDisconnectPacket d:
                MqttProperties disconnect = Reason(d.ReasonString, d.UserProperties) ?? new();
                disconnect.ServerReference = d.ServerReference;
                disconnect.SessionExpiryInterval = d.SessionExpiryInterval == 0 ? null : d.SessionExpiryInterval;
                MqttProperties? dp = NullIfEmpty(disconnect);
                return d.ReasonCode == 0 && dp is null ? DisconnectPacket.Instance : new DisconnectPacket((byte)d.ReasonCode, dp);
            case MqttAuthPacket a:
                MqttProperties auth = Reason(a.ReasonString, a.UserProperties) ?? new();
                auth.AuthenticationMethod = a.AuthenticationMethod;
                auth.AuthenticationData = a.AuthenticationData is { Length: > 0 } data ? (ReadOnlyMemory<byte>?)data : null; // MQTTnet reads "absent" as empty
                return new AuthPacket((byte)a.ReasonCode, NullIfEmpty(auth));
            case MqttPingReqPacket: return PingReqPacket.Instance;
            case MqttPingRespPacket: return PingRespPacket.Instance;
            default: throw new ArgumentException($"No translation for MQTTnet's {packet.GetType().Name}.", nameof(packet));
        }
    }

    private static List<MQTTnet.Packets.MqttUserProperty>? Users(MqttProperties? properties) =>
        properties is null || properties.UserProperties.Count == 0 ? null : [.. properties.UserProperties.Select(p => new MQTTnet.Packets.MqttUserProperty(p.Name, System.Text.Encoding.UTF8.GetBytes(p.Value).AsMemory()))];

    private static void AddUsers(MqttProperties set, List<MQTTnet.Packets.MqttUserProperty>? users)
    {
        foreach (MQTTnet.Packets.MqttUserProperty user in users ?? [])
        {
            set.UserProperties.Add(new(user.Name, user.ReadValueAsString()));
        }
    }

    private static MqttProperties? Reason(string? reasonString, List<MQTTnet.Packets.MqttUserProperty>? users)
    {
        var set = new MqttProperties { ReasonString = reasonString };
        AddUsers(set, users);
        return NullIfEmpty(set);
    }

    private static MqttProperties? NullIfEmpty(MqttProperties set) => set.Present().Count == 0 ? null : set;
}
