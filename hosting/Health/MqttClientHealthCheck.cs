using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace StateMachineMqtt.Extensions.Hosting;

/// <summary>
/// Healthy while the client is connected; otherwise the registration's failure status (Unhealthy unless chosen). The data
/// say what the client holds, so a dashboard sees a backlog grow during an outage.
/// </summary>
internal sealed class MqttClientHealthCheck(IMqttClient client) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        bool connected = client.IsConnected;
        int held = client.HeldMessageCount;
        int inFlight = client.InFlightMessageCount;
        MqttClientStatistics statistics = client.Statistics;
        var data = new Dictionary<string, object>
        {
            ["connected"] = connected,
            ["held"] = held,                   // outbound messages held: queued, being written or awaiting their answer
            ["in_flight"] = inFlight,          // of those, sent and awaiting PUBACK, PUBREC or PUBCOMP
            ["queued"] = Math.Max(0, held - inFlight), // of those, waiting to be sent (two reads, so never shown below 0)
            ["connects"] = statistics.Connects,
            ["links_lost"] = statistics.LinksLost,
            ["connect_attempts_failed"] = statistics.ConnectAttemptsFailed,
        };
        HealthCheckResult result = connected
            ? HealthCheckResult.Healthy($"MQTT client {client.ClientIdentifier} is connected ({held} messages held, {inFlight} in flight).", data)
            : new HealthCheckResult(context.Registration.FailureStatus, $"MQTT client {client.ClientIdentifier} is not connected ({statistics.ConnectAttemptsFailed} connect attempts failed so far, {held} messages held); it keeps trying unless it was stopped or gave up.", data: data);
        return Task.FromResult(result);
    }
}
