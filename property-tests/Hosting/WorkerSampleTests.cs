using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using StateMachineMqtt.Samples.Worker;
using StateMachineMqtt.TestKit.Brokers;

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
        // The publisher logs once its PUBACK is in, which may be after the handler has the message.
        LogEntry published = await logs.WaitForAsync(e => e.Category == typeof(TemperaturePublisher).FullName, timeout.Token);
        await host.StopAsync(timeout.Token);

        Assert.Matches(@"^Received \d+\.\d °C on samples/worker/temperature\.$", received.Message);
        Assert.Matches(@"^Published \d+\.\d °C to samples/worker/temperature\.$", published.Message);
        Assert.Contains(broker.ReceivedSoFar, m => m.ClientId == "worker-sample-test" && m.Topic == "samples/worker/temperature");
        Assert.Equal("worker-sample-test", host.Services.GetRequiredService<IMqttClient>().ClientIdentifier);
    }
}
