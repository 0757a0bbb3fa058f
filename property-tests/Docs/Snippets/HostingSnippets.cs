#region getting-started-hosting
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StateMachineMqtt;
using StateMachineMqtt.Extensions.Hosting;
using StateMachineMqtt.Protocol;
#endregion

namespace DocSnippets;

/// <summary>docs/getting-started.md's generic-host sample, compiled.</summary>
internal static class HostingSnippets
{
    public static async Task RunAsync(string[] args)
    {
        #region getting-started-hosting-main
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddMqttClient(builder.Configuration.GetSection("Mqtt")) // binds MqttClientOptions; "Mqtt:Hosting" binds MqttHostingOptions
            .AddHandler<TemperatureLogger>("home/+/temperature", MqttQualityOfService.AtLeastOnce);
        await builder.Build().RunAsync();
        #endregion
    }
}

#region getting-started-hosting-handler
internal sealed class TemperatureLogger(ILogger<TemperatureLogger> logger) : IMqttMessageHandler
{
    public Task HandleAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        logger.LogInformation("{Topic}: {Value}", message.Topic, message.PayloadText);
        return Task.CompletedTask;
    }
}
#endregion
