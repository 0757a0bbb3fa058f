namespace StateMachineMqtt;

/// <summary>Counters of what a client has done since it was created: a snapshot, cheap to take.</summary>
/// <param name="Accepted">Messages handed to PublishAsync and accepted.</param>
/// <param name="Acknowledged">QoS 1 messages acknowledged by PUBACK, and QoS 2 messages completed by PUBCOMP.</param>
/// <param name="Resent">PUBLISH packets re-sent with DUP (after a timeout or a reconnect).</param>
/// <param name="Connects">CONNACKs that accepted a link.</param>
/// <param name="LinksLost">Links lost (any cause) after a CONNACK accepted them.</param>
/// <param name="Received">Messages received and queued for the application.</param>
/// <param name="DroppedQos0">QoS 0 messages dropped because the application did not read them.</param>
/// <param name="ConnectAttemptsFailed">Connect attempts that failed before a CONNACK accepted them (refused, unreachable, timed out).</param>
public sealed record MqttClientStatistics(long Accepted, long Acknowledged, long Resent, long Connects, long LinksLost, long Received, long DroppedQos0, long ConnectAttemptsFailed)
{
    /// <summary>
    /// Received messages larger than <see cref="MqttClientOptions.MaximumPacketSize"/>: read past without being buffered,
    /// acknowledged as their QoS requires (so the broker does not send them again), and not delivered; each is logged as a
    /// warning with its topic and size. A property rather than a constructor parameter, so the record's constructor and
    /// Deconstruct keep their shape for existing callers.
    /// </summary>
    public long DroppedOversized { get; init; }

    /// <summary>
    /// MQTT 5: messages the broker refused with a failure reason code in PUBACK or PUBREC; each failed its PublishAsync with
    /// <see cref="MqttPublishException"/> and is no longer held.
    /// </summary>
    public long Refused { get; init; }
}
