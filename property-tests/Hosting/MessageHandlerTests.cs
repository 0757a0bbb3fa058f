using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StateMachineMqtt.Extensions.Hosting;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Hosting;

/// <summary>Handlers registered per topic filter get the messages their filter matches, and one failing does not stop the others.</summary>
public class MessageHandlerTests
{
    [Fact]
    public async Task A_handler_gets_the_messages_its_filter_matches_and_not_the_others()
    {
        await using InProcessMqttnetBroker broker = await InProcessMqttnetBroker.StartAsync();
        using var timeout = new CancellationTokenSource(HostingTestHost.HangGuard);
        var handled = new HandledMessages();
        HostApplicationBuilder builder = HostingTestHost.Create(HostingTestHost.MqttSection(broker.Port, "handlers-match"));
        builder.Services.AddSingleton(handled);
        builder.Services.AddMqttClient(builder.Configuration.GetSection("Mqtt"))
            .AddHandler<RecordingHandler>("home/+/temperature")
            .AddHandler<EverythingHandler>("home/#");
        Task subscribed = broker.WhenSubscribed("home/#");
        using IHost host = builder.Build();
        await host.StartAsync(timeout.Token);
        await subscribed.WaitAsync(timeout.Token);
        IMqttClient client = host.Services.GetRequiredService<IMqttClient>();

        await client.PublishAsync("home/kitchen/humidity", "55", MqttQualityOfService.AtLeastOnce, cancellationToken: timeout.Token);
        await client.PublishAsync("home/kitchen/temperature", "21.5", MqttQualityOfService.AtLeastOnce, cancellationToken: timeout.Token);

        // One message at a time, handlers in registration order: once "everything" has the second message, "recording"
        // has been offered both.
        Assert.Equal(("everything", "home/kitchen/humidity", "55"), await handled.NextAsync(timeout.Token));
        Assert.Equal(("recording", "home/kitchen/temperature", "21.5"), await handled.NextAsync(timeout.Token));
        Assert.Equal(("everything", "home/kitchen/temperature", "21.5"), await handled.NextAsync(timeout.Token));
        Assert.False(handled.TryNext(out var extra), $"unexpected: {extra}");
        await host.StopAsync(timeout.Token);
    }

    [Fact]
    public async Task A_handler_that_throws_is_logged_and_the_other_handlers_and_the_next_message_go_on()
    {
        await using InProcessMqttnetBroker broker = await InProcessMqttnetBroker.StartAsync();
        using var timeout = new CancellationTokenSource(HostingTestHost.HangGuard);
        var handled = new HandledMessages();
        var logs = new WaitingLogProvider();
        HostApplicationBuilder builder = HostingTestHost.Create(HostingTestHost.MqttSection(broker.Port, "handlers-throw"), logs);
        builder.Services.AddSingleton(handled);
        builder.Services.AddMqttClient(builder.Configuration.GetSection("Mqtt"))
            .AddHandler<ThrowingHandler>("jobs/#")
            .AddHandler<RecordingHandler>("jobs/#", MqttQualityOfService.ExactlyOnce);
        Task subscribed = broker.WhenSubscribed("jobs/#");
        using IHost host = builder.Build();
        await host.StartAsync(timeout.Token);
        await subscribed.WaitAsync(timeout.Token);
        IMqttClient client = host.Services.GetRequiredService<IMqttClient>();

        await client.PublishAsync("jobs/1", "boom", MqttQualityOfService.AtLeastOnce, cancellationToken: timeout.Token);
        await client.PublishAsync("jobs/2", "fine", MqttQualityOfService.AtLeastOnce, cancellationToken: timeout.Token);

        Assert.Equal(("throwing", "jobs/1", "boom"), await handled.NextAsync(timeout.Token));
        Assert.Equal(("recording", "jobs/1", "boom"), await handled.NextAsync(timeout.Token)); // the same message, the next handler
        Assert.Equal(("throwing", "jobs/2", "fine"), await handled.NextAsync(timeout.Token));  // the next message
        Assert.Equal(("recording", "jobs/2", "fine"), await handled.NextAsync(timeout.Token));
        LogEntry error = Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains("ThrowingHandler (filter jobs/#) failed on a message on jobs/1", error.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(error.Exception);
        await host.StopAsync(timeout.Token);
    }

    [Fact]
    public async Task Each_filter_is_subscribed_once_at_the_highest_QoS_its_handlers_ask_for()
    {
        await using InProcessMqttnetBroker broker = await InProcessMqttnetBroker.StartAsync();
        using var timeout = new CancellationTokenSource(HostingTestHost.HangGuard);
        var logs = new WaitingLogProvider();
        HostApplicationBuilder builder = HostingTestHost.Create(HostingTestHost.MqttSection(broker.Port, "handlers-qos"), logs);
        builder.Services.AddSingleton(new HandledMessages());
        builder.Services.AddMqttClient(builder.Configuration.GetSection("Mqtt"))
            .AddHandler<ThrowingHandler>("jobs/#", MqttQualityOfService.AtMostOnce)
            .AddHandler<RecordingHandler>("jobs/#", MqttQualityOfService.ExactlyOnce);
        using IHost host = builder.Build();
        await host.StartAsync(timeout.Token);

        LogEntry subscribed = await logs.WaitForAsync(e => e.Message.StartsWith("Subscribed to jobs/#", StringComparison.Ordinal), timeout.Token);
        Assert.Equal("Subscribed to jobs/# (QoS 2 asked, 2 granted).", subscribed.Message);
        await host.StopAsync(timeout.Token);
        Assert.Single(logs.Entries, e => e.Message.StartsWith("Subscribed to", StringComparison.Ordinal));
    }
}
