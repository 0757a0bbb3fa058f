using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using StateMachineMqtt.Extensions.Hosting;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt.Samples.Worker;

/// <summary>The sample's host, built in one place so Program and the tests run the same one.</summary>
public static class WorkerSampleHost
{
    /// <summary>The filter <see cref="TemperatureLogger"/> is subscribed to; the publisher's default topic matches it.</summary>
    public const string TemperatureFilter = "samples/+/temperature";

    /// <summary>
    /// A host builder with the MQTT client bound from the "Mqtt" section, <see cref="TemperatureLogger"/> on
    /// <see cref="TemperatureFilter"/>, <see cref="TemperaturePublisher"/> configured from "Publisher", and the client's
    /// health check. Callers may add configuration (e.g. another broker) before building it.
    /// </summary>
    /// <param name="args">Command-line arguments, e.g. --Mqtt:Server=broker.local.</param>
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
        builder.Services.TryAddSingleton(TimeProvider.System); // the client, its hosted service and the publisher share one clock
        builder.Services.AddMqttClient(builder.Configuration.GetSection("Mqtt"))
            .AddHandler<TemperatureLogger>(TemperatureFilter, MqttQualityOfService.AtLeastOnce);
        builder.Services.AddOptions<PublisherOptions>().Bind(builder.Configuration.GetSection("Publisher"))
            .Validate(o => o.Interval > TimeSpan.Zero, "Publisher:Interval must be positive, e.g. \"00:00:02\".")
            .Validate(o => !string.IsNullOrEmpty(o.Topic) && !o.Topic.Contains('+', StringComparison.Ordinal) && !o.Topic.Contains('#', StringComparison.Ordinal), "Publisher:Topic must name a topic without wildcards, e.g. \"samples/worker/temperature\".")
            .ValidateOnStart();
        builder.Services.AddHostedService<TemperaturePublisher>();
        builder.Services.AddHealthChecks().AddMqttClient(failureStatus: HealthStatus.Degraded);
        return builder;
    }
}
