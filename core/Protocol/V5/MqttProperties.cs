using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Protocol.V5;

/// <summary>
/// One MQTT 5 property set, typed: a null field is an absent property. Which ones a packet may carry is spec/'s
/// PropertyTable; <see cref="PropertyEncoder"/> and <see cref="PropertyDecoder"/> hold the sets to it.
/// </summary>
internal sealed class MqttProperties
{
    public byte? PayloadFormatIndicator { get; set; }
    public uint? MessageExpiryInterval { get; set; }
    public string? ContentType { get; set; }
    public string? ResponseTopic { get; set; }
    public ReadOnlyMemory<byte>? CorrelationData { get; set; }

    /// <summary>Subscription Identifiers, in order: several in a PUBLISH, at most one in a SUBSCRIBE.</summary>
    public List<uint> SubscriptionIdentifiers { get; } = [];

    public uint? SessionExpiryInterval { get; set; }
    public string? AssignedClientIdentifier { get; set; }
    public ushort? ServerKeepAlive { get; set; }
    public string? AuthenticationMethod { get; set; }
    public ReadOnlyMemory<byte>? AuthenticationData { get; set; }
    public byte? RequestProblemInformation { get; set; }
    public uint? WillDelayInterval { get; set; }
    public byte? RequestResponseInformation { get; set; }
    public string? ResponseInformation { get; set; }
    public string? ServerReference { get; set; }
    public string? ReasonString { get; set; }
    public ushort? ReceiveMaximum { get; set; }
    public ushort? TopicAliasMaximum { get; set; }
    public ushort? TopicAlias { get; set; }
    public byte? MaximumQoS { get; set; }
    public byte? RetainAvailable { get; set; }

    /// <summary>User Properties, in the order they came or are to be sent [MQTT-3.1.2-23].</summary>
    public List<MqttUserProperty> UserProperties { get; } = [];

    public uint? MaximumPacketSize { get; set; }
    public byte? WildcardSubscriptionAvailable { get; set; }
    public byte? SubscriptionIdentifierAvailable { get; set; }
    public byte? SharedSubscriptionAvailable { get; set; }

    /// <summary>The properties present, in spec/'s table order (repeats in their own order): what is encoded.</summary>
    public List<(PropertyId Id, object Value)> Present()
    {
        var present = new List<(PropertyId, object)>();
        Maybe(present, PropertyId.PayloadFormatIndicator, PayloadFormatIndicator);
        Maybe(present, PropertyId.MessageExpiryInterval, MessageExpiryInterval);
        Maybe(present, PropertyId.ContentType, ContentType);
        Maybe(present, PropertyId.ResponseTopic, ResponseTopic);
        Maybe(present, PropertyId.CorrelationData, CorrelationData);
        foreach (uint identifier in SubscriptionIdentifiers)
        {
            present.Add((PropertyId.SubscriptionIdentifier, identifier));
        }

        Maybe(present, PropertyId.SessionExpiryInterval, SessionExpiryInterval);
        Maybe(present, PropertyId.AssignedClientIdentifier, AssignedClientIdentifier);
        Maybe(present, PropertyId.ServerKeepAlive, ServerKeepAlive);
        Maybe(present, PropertyId.AuthenticationMethod, AuthenticationMethod);
        Maybe(present, PropertyId.AuthenticationData, AuthenticationData);
        Maybe(present, PropertyId.RequestProblemInformation, RequestProblemInformation);
        Maybe(present, PropertyId.WillDelayInterval, WillDelayInterval);
        Maybe(present, PropertyId.RequestResponseInformation, RequestResponseInformation);
        Maybe(present, PropertyId.ResponseInformation, ResponseInformation);
        Maybe(present, PropertyId.ServerReference, ServerReference);
        Maybe(present, PropertyId.ReasonString, ReasonString);
        Maybe(present, PropertyId.ReceiveMaximum, ReceiveMaximum);
        Maybe(present, PropertyId.TopicAliasMaximum, TopicAliasMaximum);
        Maybe(present, PropertyId.TopicAlias, TopicAlias);
        Maybe(present, PropertyId.MaximumQoS, MaximumQoS);
        Maybe(present, PropertyId.RetainAvailable, RetainAvailable);
        foreach (MqttUserProperty pair in UserProperties)
        {
            present.Add((PropertyId.UserProperty, pair));
        }

        Maybe(present, PropertyId.MaximumPacketSize, MaximumPacketSize);
        Maybe(present, PropertyId.WildcardSubscriptionAvailable, WildcardSubscriptionAvailable);
        Maybe(present, PropertyId.SubscriptionIdentifierAvailable, SubscriptionIdentifierAvailable);
        Maybe(present, PropertyId.SharedSubscriptionAvailable, SharedSubscriptionAvailable);
        return present;
    }

    /// <summary>A copy to change without touching this set (values are immutable, so a shallow copy is enough).</summary>
    public MqttProperties Copy()
    {
        var copy = new MqttProperties();
        foreach ((PropertyId id, object value) in Present())
        {
            copy.Add(id, value);
        }

        return copy;
    }

    /// <summary>Sets (or, for the repeatable ones, appends) property <paramref name="id"/>, whose value has its type's CLR type.</summary>
    public void Add(PropertyId id, object value)
    {
        switch (id)
        {
            case PropertyId.PayloadFormatIndicator: PayloadFormatIndicator = (byte)value; break;
            case PropertyId.MessageExpiryInterval: MessageExpiryInterval = (uint)value; break;
            case PropertyId.ContentType: ContentType = (string)value; break;
            case PropertyId.ResponseTopic: ResponseTopic = (string)value; break;
            case PropertyId.CorrelationData: CorrelationData = (ReadOnlyMemory<byte>)value; break;
            case PropertyId.SubscriptionIdentifier: SubscriptionIdentifiers.Add((uint)value); break;
            case PropertyId.SessionExpiryInterval: SessionExpiryInterval = (uint)value; break;
            case PropertyId.AssignedClientIdentifier: AssignedClientIdentifier = (string)value; break;
            case PropertyId.ServerKeepAlive: ServerKeepAlive = (ushort)value; break;
            case PropertyId.AuthenticationMethod: AuthenticationMethod = (string)value; break;
            case PropertyId.AuthenticationData: AuthenticationData = (ReadOnlyMemory<byte>)value; break;
            case PropertyId.RequestProblemInformation: RequestProblemInformation = (byte)value; break;
            case PropertyId.WillDelayInterval: WillDelayInterval = (uint)value; break;
            case PropertyId.RequestResponseInformation: RequestResponseInformation = (byte)value; break;
            case PropertyId.ResponseInformation: ResponseInformation = (string)value; break;
            case PropertyId.ServerReference: ServerReference = (string)value; break;
            case PropertyId.ReasonString: ReasonString = (string)value; break;
            case PropertyId.ReceiveMaximum: ReceiveMaximum = (ushort)value; break;
            case PropertyId.TopicAliasMaximum: TopicAliasMaximum = (ushort)value; break;
            case PropertyId.TopicAlias: TopicAlias = (ushort)value; break;
            case PropertyId.MaximumQoS: MaximumQoS = (byte)value; break;
            case PropertyId.RetainAvailable: RetainAvailable = (byte)value; break;
            case PropertyId.UserProperty: UserProperties.Add((MqttUserProperty)value); break;
            case PropertyId.MaximumPacketSize: MaximumPacketSize = (uint)value; break;
            case PropertyId.WildcardSubscriptionAvailable: WildcardSubscriptionAvailable = (byte)value; break;
            case PropertyId.SubscriptionIdentifierAvailable: SubscriptionIdentifierAvailable = (byte)value; break;
            case PropertyId.SharedSubscriptionAvailable: SharedSubscriptionAvailable = (byte)value; break;
            default: throw new ArgumentOutOfRangeException(nameof(id), id, "Not an MQTT 5 property identifier.");
        }
    }

    private static void Maybe(List<(PropertyId, object)> present, PropertyId id, object? value)
    {
        if (value is not null)
        {
            present.Add((id, value));
        }
    }
}
