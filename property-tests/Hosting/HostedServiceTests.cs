using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Server;
using StateMachineMqtt.Extensions.Hosting;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Hosting;

/// <summary>The hosted service connects as the host starts, within StartupWait, and disconnects cleanly as it stops.</summary>
public class HostedServiceTests
{
    private static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(7); // distinct from the client's own timers (1 s backoff, 10 s response time)

    [Fact]
    public async Task The_host_starts_connected_and_stops_with_a_clean_DISCONNECT()
    {
        await using InProcessMqttnetBroker broker = await InProcessMqttnetBroker.StartAsync();
        using var timeout = new CancellationTokenSource(HostingTestHost.HangGuard);
        HostApplicationBuilder builder = HostingTestHost.Create(HostingTestHost.MqttSection(broker.Port, "hosted-connects"));
        builder.Services.AddMqttClient(builder.Configuration.GetSection("Mqtt"));
        using IHost host = builder.Build();
        var disconnected = new TaskCompletionSource<MqttClientDisconnectType>(TaskCreationOptions.RunContinuationsAsynchronously);
        broker.Server.ClientDisconnectedAsync += e =>
        {
            if (e.ClientId == "hosted-connects")
            {
                disconnected.TrySetResult(e.DisconnectType);
            }

            return Task.CompletedTask;
        };

        await host.StartAsync(timeout.Token);
        IMqttClient client = host.Services.GetRequiredService<IMqttClient>();
        Assert.Same(host.Services.GetRequiredService<MqttClient>(), client);
        Assert.True(client.IsConnected);
        Assert.Contains(await broker.Server.GetClientsAsync(), c => c.Id == "hosted-connects");

        await host.StopAsync(timeout.Token);

        Assert.False(client.IsConnected);
        Assert.Equal(MqttClientDisconnectType.Clean, await disconnected.Task.WaitAsync(timeout.Token));
    }

    [Fact]
    public async Task The_start_waits_StartupWait_for_the_broker_and_no_longer_then_the_connect_carries_on_in_the_background()
    {
        await using GatedBroker gated = await GatedBroker.StartAsync(); // holds the CONNACK until opened
        using var timeout = new CancellationTokenSource(HostingTestHost.HangGuard);
        var clock = new TimerWatchingClock();
        var logs = new WaitingLogProvider();
        var settings = HostingTestHost.MqttSection(gated.Broker.Port, "hosted-waits");
        settings["Mqtt:Hosting:StartupWait"] = StartupWait.ToString();
        HostApplicationBuilder builder = HostingTestHost.Create(settings, logs);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton(new HandledMessages());
        builder.Services.AddMqttClient(builder.Configuration.GetSection("Mqtt")).AddHandler<RecordingHandler>("late/#");
        using IHost host = builder.Build();
        Task waitBegun = clock.WhenTimerCreated(StartupWait);
        Task subscribed = gated.Broker.WhenSubscribed("late/#");

        Task start = host.StartAsync(timeout.Token);
        await waitBegun.WaitAsync(timeout.Token);
        clock.Fake.Advance(StartupWait - TimeSpan.FromTicks(1));
        Assert.False(start.IsCompleted, "the start ended before StartupWait elapsed");
        clock.Fake.Advance(TimeSpan.FromTicks(1));
        await start; // the host is up without the broker

        IMqttClient client = host.Services.GetRequiredService<IMqttClient>();
        Assert.False(client.IsConnected);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("not connected to 127.0.0.1", StringComparison.Ordinal) && e.Message.Contains("keeps trying in the background", StringComparison.Ordinal));

        gated.Open();
        await subscribed.WaitAsync(timeout.Token); // connected after all, and the handler's filter subscribed
        Assert.True(client.IsConnected);
        await host.StopAsync(timeout.Token);
    }

    [Fact]
    public async Task With_RequireConnectionAtStartup_the_host_does_not_start_when_StartupWait_elapses()
    {
        await using GatedBroker gated = await GatedBroker.StartAsync();
        using var timeout = new CancellationTokenSource(HostingTestHost.HangGuard);
        var clock = new TimerWatchingClock();
        var settings = HostingTestHost.MqttSection(gated.Broker.Port, "hosted-requires");
        settings["Mqtt:Hosting:StartupWait"] = StartupWait.ToString();
        settings["Mqtt:Hosting:RequireConnectionAtStartup"] = "true";
        HostApplicationBuilder builder = HostingTestHost.Create(settings);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddMqttClient(builder.Configuration.GetSection("Mqtt"));
        using IHost host = builder.Build();
        Task waitBegun = clock.WhenTimerCreated(StartupWait);

        Task start = host.StartAsync(timeout.Token);
        await waitBegun.WaitAsync(timeout.Token);
        clock.Fake.Advance(StartupWait);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => start);
        Assert.Contains("did not connect to 127.0.0.1", failure.Message, StringComparison.Ordinal);
        Assert.Contains("RequireConnectionAtStartup is set", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DrainOnStop_lets_held_messages_complete_before_the_DISCONNECT()
    {
        await using InProcessMqttnetBroker broker = await InProcessMqttnetBroker.StartAsync();
        using var timeout = new CancellationTokenSource(HostingTestHost.HangGuard);
        var settings = HostingTestHost.MqttSection(broker.Port, "hosted-drains");
        settings["Mqtt:Hosting:DrainOnStop"] = "true";
        HostApplicationBuilder builder = HostingTestHost.Create(settings);
        builder.Services.AddMqttClient(builder.Configuration.GetSection("Mqtt"));
        using IHost host = builder.Build();
        await host.StartAsync(timeout.Token);
        IMqttClient client = host.Services.GetRequiredService<IMqttClient>();

        Task[] published = [.. Enumerable.Range(0, 20).Select(i => client.PublishAsync($"drain/{i}", "x", MqttQualityOfService.AtLeastOnce, cancellationToken: timeout.Token))];
        await host.StopAsync(timeout.Token);

        Assert.All(published, p => Assert.True(p.IsCompletedSuccessfully)); // each acknowledged before the stop ended
        Assert.Equal(0, client.HeldMessageCount);
        Assert.Equal(20, broker.ReceivedSoFar.Count(m => m.Topic.StartsWith("drain/", StringComparison.Ordinal)));
    }
}
