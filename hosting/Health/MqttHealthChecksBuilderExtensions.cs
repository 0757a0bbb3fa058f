using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace StateMachineMqtt.Extensions.Hosting;

/// <summary>Adds the MQTT client's health check.</summary>
public static class MqttHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check of the client registered by AddMqttClient: Healthy while connected, else
    /// <paramref name="failureStatus"/>. Its data: connected, held, in_flight, queued (held minus in flight), connects,
    /// links_lost and connect_attempts_failed.
    /// </summary>
    /// <param name="builder">The health checks builder (services.AddHealthChecks()).</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">What a disconnected client reports; null for Unhealthy. Degraded suits a service that can work on while the client reconnects.</param>
    /// <param name="tags">Tags to filter checks by, e.g. "ready".</param>
    public static IHealthChecksBuilder AddMqttClient(this IHealthChecksBuilder builder, string name = "mqtt", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(name, sp => new MqttClientHealthCheck(sp.GetRequiredService<IMqttClient>()), failureStatus, tags));
    }
}
