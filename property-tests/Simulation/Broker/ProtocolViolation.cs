namespace StateMachineMqtt.PropertyTests.Simulation.Broker;

/// <summary>What a client did wrong, as seen by the broker.</summary>
public enum ProtocolViolationKind
{
    /// <summary>A packet other than CONNECT as the first packet on a link (I3).</summary>
    PacketBeforeConnect,

    /// <summary>A packet after CONNECT but before an accepted CONNACK was sent (I3).</summary>
    PacketBeforeConnAck,

    /// <summary>A second CONNECT on one link [MQTT-3.1.0-2] (I3).</summary>
    SecondConnect,

    /// <summary>A PUBLISH with DUP set whose packet identifier the broker never received from that client (I4).</summary>
    DupOnFirstSend,

    /// <summary>A re-send of a PUBLISH the broker has not acknowledged, without DUP (I4).</summary>
    ResendWithoutDup,

    /// <summary>DUP set on a QoS 0 PUBLISH [MQTT-3.3.1-2].</summary>
    DupOnQos0,

    /// <summary>A packet that needs a non-zero packet identifier carried zero [MQTT-2.3.1-1] (I2).</summary>
    ZeroPacketId,

    /// <summary>A PUBLISH sent again after its PUBREL, before PUBCOMP freed the id [MQTT-4.3.3-1] (I4).</summary>
    PublishAfterPubRel,

    /// <summary>A PUBREL for an identifier no PUBREC ever named.</summary>
    PubRelWithoutPubRec,

    /// <summary>A packet only a server sends (CONNACK, SUBACK, ...).</summary>
    UnexpectedPacket,

    /// <summary>
    /// A PUBREC for an identifier no QoS 2 PUBLISH to the client carried on that link, or a PUBCOMP no PUBREL on that link
    /// asked for: an acknowledgement goes only on the link its packet came on [MQTT-4.4.0-1].
    /// </summary>
    UnansweredAcknowledgement,

    /// <summary>Bytes that do not decode as MQTT 3.1.1.</summary>
    MalformedPacket,

    /// <summary>A SUBSCRIBE/UNSUBSCRIBE with an invalid topic filter or a PUBLISH to an invalid topic name.</summary>
    InvalidTopic,

    /// <summary>Anything sent after DISCONNECT on the same link [MQTT-3.14.4-2].</summary>
    PacketAfterDisconnect,

    /// <summary>MQTT 5: a PUBLISH or PUBREL sent twice on one link; it may be re-sent only on a new connection [MQTT-4.4.0-1].</summary>
    ResendOnSameLink,
}

/// <summary>One protocol violation: when, which client (null before CONNECT), which link, what, and details.</summary>
public sealed record ProtocolViolation(TimeSpan At, string? ClientId, int LinkId, ProtocolViolationKind Kind, string Detail)
{
    /// <inheritdoc />
    public override string ToString() => $"{At.TotalMilliseconds:0.###} ms link {LinkId} client {ClientId ?? "?"}: {Kind}: {Detail}";
}
