using StateMachineMqtt.Protocol;

namespace StateMachineMqtt;

/// <summary>A message the broker publishes for the client when the client vanishes without DISCONNECT.</summary>
/// <param name="Topic">Topic to publish to (no wildcards).</param>
/// <param name="Payload">Message body.</param>
/// <param name="QualityOfService">QoS of the will publish.</param>
/// <param name="Retain">Whether the broker retains it.</param>
public sealed record MqttWillMessage(string Topic, ReadOnlyMemory<byte> Payload, MqttQualityOfService QualityOfService = MqttQualityOfService.AtMostOnce, bool Retain = false);
