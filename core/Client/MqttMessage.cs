using StateMachineMqtt.Protocol;

namespace StateMachineMqtt;

/// <summary>An application message received from the broker.</summary>
/// <param name="Topic">The topic it was published to.</param>
/// <param name="Payload">Message body.</param>
/// <param name="QualityOfService">QoS it was delivered with.</param>
/// <param name="Retain">Whether it is a retained message.</param>
/// <param name="Dup">Whether the broker marked it as a re-delivery.</param>
public sealed record MqttMessage(string Topic, ReadOnlyMemory<byte> Payload, MqttQualityOfService QualityOfService, bool Retain, bool Dup)
{
    /// <summary>The payload decoded as UTF-8.</summary>
    public string PayloadText => System.Text.Encoding.UTF8.GetString(Payload.Span);

    /// <summary>Its MQTT 5 properties (content type, expiry, user properties...); null under MQTT 3.1.1 or when it had none.</summary>
    public MqttMessageProperties? Properties { get; init; }

    /// <summary>
    /// The packet identifier the broker sent it under: 1–65535 at QoS 1 and 2, 0 at QoS 0. For display and tracing only
    /// (mosquitto_sub's %m): the client has answered the exchange already, and the broker reuses identifiers.
    /// </summary>
    public int PacketIdentifier { get; init; }
}
