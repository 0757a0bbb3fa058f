namespace StateMachineMqtt;

/// <summary>
/// The reason code an MQTT 5 DISCONNECT from the client carries (3.14.2.1): the codes the specification lets a client send.
/// Under MQTT 3.1.1 DISCONNECT has no reason code, so only <see cref="NormalDisconnection"/> may be used.
/// </summary>
public enum MqttDisconnectReason
{
    /// <summary>0x00: close normally; the broker discards the will.</summary>
    NormalDisconnection = 0x00,

    /// <summary>0x04: disconnect, but have the broker publish the will.</summary>
    DisconnectWithWillMessage = 0x04,

    /// <summary>0x80: the client is closing for a reason it does not name.</summary>
    UnspecifiedError = 0x80,

    /// <summary>0x81: a packet from the broker could not be parsed.</summary>
    MalformedPacket = 0x81,

    /// <summary>0x82: the broker broke the protocol.</summary>
    ProtocolError = 0x82,

    /// <summary>0x83: the client's own, application-specific reason.</summary>
    ImplementationSpecificError = 0x83,

    /// <summary>0x90: the broker sent a topic name the client cannot accept.</summary>
    TopicNameInvalid = 0x90,

    /// <summary>0x93: the broker sent more QoS 1 and 2 PUBLISHes than the client's Receive Maximum.</summary>
    ReceiveMaximumExceeded = 0x93,

    /// <summary>0x94: the broker used a topic alias the client did not allow or know.</summary>
    TopicAliasInvalid = 0x94,

    /// <summary>0x95: the broker sent a packet larger than the client's Maximum Packet Size.</summary>
    PacketTooLarge = 0x95,

    /// <summary>0x96: messages come faster than the client can take them.</summary>
    MessageRateTooHigh = 0x96,

    /// <summary>0x98: closed by an administrator.</summary>
    AdministrativeAction = 0x98,

    /// <summary>0x99: the broker sent a payload that does not match its Payload Format Indicator.</summary>
    PayloadFormatInvalid = 0x99,
}
