using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using StateMachineMqtt.Samples.Worker;

namespace StateMachineMqtt.PropertyTests.Hosting;

/// <summary>samples/WorkerSample's own host, against the in-process broker: its timer's readings reach its own handler.</summary>
public class WorkerSampleTests
{
    [Fact]
    public async Task The_samples_publisher_reaches_the_samples_handler_through_the_broker()
    {
        await using InProcessMqttnetBroker broker = await InProcessMqttnetBroker.StartAsync();
        using var timeout = new CancellationTokenSource(HostingTestHost.HangGuard);
        var logs = new WaitingLogProvider();
        HostApplicationBuilder builder = WorkerSampleHost.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mqtt:Server"] = "127.0.0.1",
            ["Mqtt:Port"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mqtt:ClientId"] = "worker-sample-test",
            ["Publisher:Interval"] = "00:00:00.050",
        });
        builder.Logging.ClearProviders().AddProvider(logs);
        using IHost host = builder.Build();

        await host.StartAsync(timeout.Token);
        LogEntry received = await logs.WaitForAsync(e => e.Category == typeof(TemperatureLogger).FullName, timeout.Token);
        await host.StopAsync(timeout.Token);

        Assert.Matches(@"^Received \d+\.\d °C on samples/worker/temperature\.$", received.Message);
        Assert.Contains(logs.Entries, e => e.Category == typeof(TemperaturePublisher).FullName && e.Message.StartsWith("Published", StringComparison.Ordinal));
        Assert.Contains(broker.ReceivedSoFar, m => m.ClientId == "worker-sample-test" && m.Topic == "samples/worker/temperature");
        Assert.Contains(host.Services.GetRequiredService<IMqttClient>().ClientIdentifier, "worker-sample-test", StringComparison.Ordinal);
    }
}
