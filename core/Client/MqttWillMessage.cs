using StateMachineMqtt.Protocol;

namespace StateMachineMqtt;

/// <summary>A message the broker publishes for the client when the client vanishes without DISCONNECT.</summary>
/// <param name="Topic">Topic to publish to (no wildcards).</param>
/// <param name="Payload">Message body.</param>
/// <param name="QualityOfService">QoS of the will publish.</param>
/// <param name="Retain">Whether the broker retains it.</param>
public sealed record MqttWillMessage(string Topic, ReadOnlyMemory<byte> Payload, MqttQualityOfService QualityOfService = MqttQualityOfService.AtMostOnce, bool Retain = false)
{
    /// <summary>MQTT 5: the will's message properties (content type, expiry, user properties...), sent in CONNECT; null for none.</summary>
    public MqttMessageProperties? Properties { get; init; }

    /// <summary>
    /// MQTT 5: how long the broker waits after the link is lost before it publishes the will (whole seconds); a reconnect
    /// within it cancels the will [MQTT-3.1.3-9]. Null (the default) publishes it at once.
    /// </summary>
    public TimeSpan? DelayInterval { get; init; }
}
