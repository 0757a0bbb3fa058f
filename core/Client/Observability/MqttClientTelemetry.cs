namespace StateMachineMqtt;

/// <summary>
/// The names under which the client reports: the <see cref="System.Diagnostics.Metrics.Meter"/> of its metrics and the
/// <see cref="System.Diagnostics.ActivitySource"/> of its traces. With OpenTelemetry: <c>AddMeter(MqttClientTelemetry.MeterName)</c>
/// and <c>AddSource(MqttClientTelemetry.ActivitySourceName)</c>. docs/observability.md lists every instrument, span and log event.
/// </summary>
public static class MqttClientTelemetry
{
    /// <summary>The meter's name, whether the meter comes from <see cref="MqttClientOptions.MeterFactory"/> or is the shared one.</summary>
    public const string MeterName = "StateMachineMqtt";

    /// <summary>The activity source's name: a Producer span per publish, a Consumer span per message handed to the application.</summary>
    public const string ActivitySourceName = "StateMachineMqtt";
}
