using System.Buffers;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using Ours = StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Protocol.V5;

/// <summary>
/// Translates the packets MQTTnet models property by property (every MQTT 5 packet: CONNECT with its will, CONNACK, PUBLISH,
/// the four publish acknowledgements, SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, DISCONNECT, AUTH) between this codec's
/// records and MQTTnet's, so its MQTT 5 formatter can serve as an oracle.
/// </summary>
internal static class MqttNet5Translation
{
    public static bool Translatable(Ours.MqttPacket packet) => packet switch
    {
        ConnectPacket c => ConnectTranslatable(c),
        ConnAckPacket a => Distinguishable(a.Properties, emptyBinaryCarried: true) && DistinguishableInConnAck(a.Properties),
        PublishPacket or PubAckPacket or PubRecPacket or PubRelPacket or PubCompPacket or SubscribePacket or SubAckPacket
            or UnsubscribePacket or UnsubAckPacket or DisconnectPacket or AuthPacket or PingReqPacket or PingRespPacket => Distinguishable(PropertiesOf(packet)),
        _ => false,
    };

    /// <summary>
    /// False when the set holds a value MQTTnet's model takes for "absent" (a 0 where it keeps a plain integer, empty binary
    /// data, an empty string): MQTTnet cannot carry those, so they say nothing about either codec. Its CONNECT and CONNACK
    /// decoders keep empty binary data apart from absent (<paramref name="emptyBinaryCarried"/>); the others do not.
    /// </summary>
    private static bool Distinguishable(MqttProperties? set, bool emptyBinaryCarried = false) => set is null || !(
        set.PayloadFormatIndicator == 0 || set.MessageExpiryInterval == 0 || set.SessionExpiryInterval == 0
        || (!emptyBinaryCarried && (set.CorrelationData is { Length: 0 } || set.AuthenticationData is { Length: 0 }))
        || set.Present().Any(p => p.Value is ""));

    /// <summary>
    /// CONNECT beyond <see cref="Distinguishable"/>. MQTTnet keeps the two request flags as bools defaulting to what
    /// absence means (Request Problem Information 1, Request Response Information 0 [MQTT-3.1.2.11.6/7]) and writes only the
    /// other value, and keeps Topic Alias Maximum and Will Delay Interval as integers with 0 for absent: an explicit default
    /// cannot be carried. Its MQTT 5 encoder also applies two 3.1.1 rules MQTT 5 dropped, throwing for a password without a
    /// user name ([MQTT-3.1.2-22] of 3.1.1; MQTT 5 allows it, 3.1.2.9) and for an empty client identifier without Clean
    /// Start ([MQTT-3.1.3-7] of 3.1.1; MQTT 5 lets the server assign one, [MQTT-3.1.3-6]): packets it refuses to write.
    /// </summary>
    private static bool ConnectTranslatable(ConnectPacket c) =>
        Distinguishable(c.Properties, emptyBinaryCarried: true) && Distinguishable(c.Will?.Properties, emptyBinaryCarried: true)
        && c.Properties is not ({ RequestProblemInformation: 1 } or { RequestResponseInformation: 0 } or { TopicAliasMaximum: 0 })
        && c.Will?.Properties is not { WillDelayInterval: 0 }
        && !(c.Password is not null && c.UserName is null)
        && !(c.ClientId.Length == 0 && !c.CleanSession);

    /// <summary>
    /// CONNACK beyond <see cref="Distinguishable"/>: MQTTnet keeps the four "available" flags as bools defaulting to 1 and
    /// writes only a 0, and keeps Server Keep Alive and Topic Alias Maximum as integers with 0 for absent. Two of those lose
    /// meaning, not just bytes: a CONNACK Server Keep Alive of 0 turns the client's keep alive off [MQTT-3.2.2-21], and a
    /// CONNACK Session Expiry Interval of 0 overrides the client's (absent means the client's stands, 3.2.2.3.2); MQTTnet
    /// can send neither.
    /// </summary>
    private static bool DistinguishableInConnAck(MqttProperties? p) => p is not (
        { RetainAvailable: 1 } or { WildcardSubscriptionAvailable: 1 } or { SubscriptionIdentifierAvailable: 1 } or { SharedSubscriptionAvailable: 1 }
        or { ServerKeepAlive: 0 } or { TopicAliasMaximum: 0 });

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
            case ConnectPacket c:
                MqttProperties cp = c.Properties ?? new();
                MqttProperties wp = c.Will?.Properties ?? new();
                return new MqttConnectPacket
                {
                    ClientId = c.ClientId,
                    CleanSession = c.CleanSession,
                    KeepAlivePeriod = c.KeepAliveSeconds,
                    Username = c.UserName,
                    Password = c.Password?.ToArray(),
                    SessionExpiryInterval = cp.SessionExpiryInterval ?? 0,
                    AuthenticationMethod = cp.AuthenticationMethod,
                    AuthenticationData = cp.AuthenticationData?.ToArray(),
                    RequestProblemInformation = (cp.RequestProblemInformation ?? 1) == 1,
                    RequestResponseInformation = cp.RequestResponseInformation == 1,
                    ReceiveMaximum = cp.ReceiveMaximum ?? 0,
                    TopicAliasMaximum = cp.TopicAliasMaximum ?? 0,
                    MaximumPacketSize = cp.MaximumPacketSize ?? 0,
                    UserProperties = Users(c.Properties),
                    WillFlag = c.Will is not null,
                    WillTopic = c.Will?.Topic,
                    WillMessage = c.Will?.Payload.ToArray(),
                    WillQoS = (MqttQualityOfServiceLevel)(c.Will?.QualityOfService ?? MqttQualityOfService.AtMostOnce),
                    WillRetain = c.Will?.Retain ?? false,
                    WillPayloadFormatIndicator = (MqttPayloadFormatIndicator)(wp.PayloadFormatIndicator ?? 0),
                    WillMessageExpiryInterval = wp.MessageExpiryInterval ?? 0,
                    WillContentType = wp.ContentType,
                    WillResponseTopic = wp.ResponseTopic,
                    WillCorrelationData = wp.CorrelationData?.ToArray(),
                    WillDelayInterval = wp.WillDelayInterval ?? 0,
                    WillUserProperties = Users(c.Will?.Properties),
                };
            case ConnAckPacket a:
                MqttProperties ap = a.Properties ?? new();
                return new MqttConnAckPacket
                {
                    IsSessionPresent = a.SessionPresent,
                    ReasonCode = (MqttConnectReasonCode)(byte)a.ReturnCode,
                    SessionExpiryInterval = ap.SessionExpiryInterval ?? 0,
                    AssignedClientIdentifier = ap.AssignedClientIdentifier,
                    ServerKeepAlive = ap.ServerKeepAlive ?? 0,
                    AuthenticationMethod = ap.AuthenticationMethod,
                    AuthenticationData = ap.AuthenticationData?.ToArray(),
                    ResponseInformation = ap.ResponseInformation,
                    ServerReference = ap.ServerReference,
                    ReasonString = ap.ReasonString,
                    ReceiveMaximum = ap.ReceiveMaximum ?? 0,
                    TopicAliasMaximum = ap.TopicAliasMaximum ?? 0,
                    MaximumQoS = (MqttQualityOfServiceLevel)(ap.MaximumQoS ?? 2), // MQTTnet's "absent": 2 [MQTT-3.2.2.3.4]
                    RetainAvailable = (ap.RetainAvailable ?? 1) == 1,
                    UserProperties = Users(a.Properties),
                    MaximumPacketSize = ap.MaximumPacketSize ?? 0,
                    WildcardSubscriptionAvailable = (ap.WildcardSubscriptionAvailable ?? 1) == 1,
                    SubscriptionIdentifiersAvailable = (ap.SubscriptionIdentifierAvailable ?? 1) == 1,
                    SharedSubscriptionAvailable = (ap.SharedSubscriptionAvailable ?? 1) == 1,
                };
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
            case MqttConnectPacket c:
                var connect = new MqttProperties
                {
                    SessionExpiryInterval = c.SessionExpiryInterval == 0 ? null : c.SessionExpiryInterval,
                    AuthenticationMethod = c.AuthenticationMethod,
                    AuthenticationData = c.AuthenticationData is { } authentication ? (ReadOnlyMemory<byte>?)authentication : null, // read as given: absent is null
                    RequestProblemInformation = c.RequestProblemInformation ? null : (byte)0,
                    RequestResponseInformation = c.RequestResponseInformation ? (byte)1 : null,
                    ReceiveMaximum = c.ReceiveMaximum == 0 ? null : c.ReceiveMaximum,
                    TopicAliasMaximum = c.TopicAliasMaximum == 0 ? null : c.TopicAliasMaximum,
                    MaximumPacketSize = c.MaximumPacketSize == 0 ? null : c.MaximumPacketSize,
                };
                AddUsers(connect, c.UserProperties);
                MqttWill? will = null;
                if (c.WillFlag)
                {
                    var w = new MqttProperties
                    {
                        PayloadFormatIndicator = c.WillPayloadFormatIndicator == 0 ? null : (byte)c.WillPayloadFormatIndicator,
                        MessageExpiryInterval = c.WillMessageExpiryInterval == 0 ? null : c.WillMessageExpiryInterval,
                        ContentType = c.WillContentType,
                        ResponseTopic = c.WillResponseTopic,
                        CorrelationData = c.WillCorrelationData is { } willCorrelation ? (ReadOnlyMemory<byte>?)willCorrelation : null,
                        WillDelayInterval = c.WillDelayInterval == 0 ? null : c.WillDelayInterval,
                    };
                    AddUsers(w, c.WillUserProperties);
                    will = new MqttWill(c.WillTopic, c.WillMessage ?? [], (MqttQualityOfService)c.WillQoS, c.WillRetain, NullIfEmpty(w));
                }

                return new ConnectPacket(c.ClientId, c.CleanSession, c.KeepAlivePeriod, c.Username,
                    c.Password is null ? (ReadOnlyMemory<byte>?)null : new ReadOnlyMemory<byte>(c.Password), will, NullIfEmpty(connect));
            case MqttConnAckPacket a:
                MqttProperties connAck = Reason(a.ReasonString, a.UserProperties) ?? new();
                connAck.SessionExpiryInterval = a.SessionExpiryInterval == 0 ? null : a.SessionExpiryInterval;
                connAck.AssignedClientIdentifier = a.AssignedClientIdentifier;
                connAck.ServerKeepAlive = a.ServerKeepAlive == 0 ? null : a.ServerKeepAlive;
                connAck.AuthenticationMethod = a.AuthenticationMethod;
                connAck.AuthenticationData = a.AuthenticationData is { } connAckAuthentication ? (ReadOnlyMemory<byte>?)connAckAuthentication : null;
                connAck.ResponseInformation = a.ResponseInformation;
                connAck.ServerReference = a.ServerReference;
                connAck.ReceiveMaximum = a.ReceiveMaximum == 0 ? null : a.ReceiveMaximum;
                connAck.TopicAliasMaximum = a.TopicAliasMaximum == 0 ? null : a.TopicAliasMaximum;
                connAck.MaximumQoS = a.MaximumQoS == MqttQualityOfServiceLevel.ExactlyOnce ? null : (byte)a.MaximumQoS;
                connAck.RetainAvailable = a.RetainAvailable ? null : (byte)0;
                connAck.MaximumPacketSize = a.MaximumPacketSize == 0 ? null : a.MaximumPacketSize;
                connAck.WildcardSubscriptionAvailable = a.WildcardSubscriptionAvailable ? null : (byte)0;
                connAck.SubscriptionIdentifierAvailable = a.SubscriptionIdentifiersAvailable ? null : (byte)0;
                connAck.SharedSubscriptionAvailable = a.SharedSubscriptionAvailable ? null : (byte)0;
                return new ConnAckPacket(a.IsSessionPresent, (ConnectReturnCode)(byte)a.ReasonCode, NullIfEmpty(connAck));
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
