using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using StateMachineMqtt.Extensions.Hosting;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Hosting;

/// <summary>The health check reports the client's connection, with what it holds.</summary>
public class HealthCheckTests
{
    [Fact]
    public async Task Healthy_while_connected_and_the_failure_status_once_not()
    {
        await using InProcessMqttnetBroker broker = await InProcessMqttnetBroker.StartAsync();
        using var timeout = new CancellationTokenSource(HostingTestHost.HangGuard);
        HostApplicationBuilder builder = HostingTestHost.Create(HostingTestHost.MqttSection(broker.Port, "health"));
        builder.Services.AddMqttClient(builder.Configuration.GetSection("Mqtt"));
        builder.Services.AddHealthChecks().AddMqttClient(failureStatus: HealthStatus.Degraded, tags: ["ready"]);
        using IHost host = builder.Build();
        HealthCheckService health = host.Services.GetRequiredService<HealthCheckService>();

        await host.StartAsync(timeout.Token);
        HealthReportEntry up = (await health.CheckHealthAsync(timeout.Token)).Entries["mqtt"];
        await host.StopAsync(timeout.Token);
        HealthReportEntry down = (await health.CheckHealthAsync(timeout.Token)).Entries["mqtt"];

        Assert.Equal(HealthStatus.Healthy, up.Status);
        Assert.Equal(true, up.Data["connected"]);
        Assert.Equal(0, up.Data["held"]);
        Assert.Equal(0, up.Data["in_flight"]);
        Assert.Equal(0, up.Data["queued"]);
        Assert.IsType<long>(up.Data["connects"]); // the counters are synced after the loop's round, so not asserted exactly here
        Assert.Contains("ready", up.Tags);
        Assert.Equal(HealthStatus.Degraded, down.Status);
        Assert.Equal(false, down.Data["connected"]);
        Assert.Contains("is not connected", down.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unhealthy_by_default_while_the_broker_cannot_be_reached_and_held_messages_are_counted()
    {
        using var timeout = new CancellationTokenSource(HostingTestHost.HangGuard);
        var settings = HostingTestHost.MqttSection(LoopbackPorts.FindFree(), "health-unreachable"); // nothing listens there
        settings["Mqtt:Hosting:StartupWait"] = "00:00:00";
        HostApplicationBuilder builder = HostingTestHost.Create(settings);
        builder.Services.AddSingleton<TimeProvider>(new TimerWatchingClock()); // the retries wait on a clock that never moves
        builder.Services.AddMqttClient(builder.Configuration.GetSection("Mqtt"));
        builder.Services.AddHealthChecks().AddMqttClient();
        using IHost host = builder.Build();
        await host.StartAsync(timeout.Token);
        IMqttClient client = host.Services.GetRequiredService<IMqttClient>();
        Task held = client.PublishAsync("waiting/for/the/broker", "1", MqttQualityOfService.AtLeastOnce, cancellationToken: timeout.Token);
        while (client.HeldMessageCount == 0)
        {
            await Task.Delay(5, timeout.Token); // until the client's loop has taken the message (no bound: the hang guard only)
        }

        HealthReportEntry entry = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(timeout.Token)).Entries["mqtt"];

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal(false, entry.Data["connected"]);
        Assert.Equal(1, entry.Data["held"]);
        Assert.Equal(0, entry.Data["in_flight"]);
        Assert.Equal(1, entry.Data["queued"]);
        Assert.False(held.IsCompleted);
        await host.StopAsync(timeout.Token);
    }
}
