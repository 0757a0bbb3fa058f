using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt.Samples.Worker;

/// <summary>
/// Publishes a made-up temperature every <see cref="PublisherOptions.Interval"/>, at QoS 1. While the link is down the
/// client holds the readings and sends them when it is back, so the loop just goes on.
/// </summary>
public sealed class TemperaturePublisher(IMqttClient client, IOptions<PublisherOptions> options, TimeProvider time, ILogger<TemperaturePublisher> logger) : BackgroundService
{
    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        PublisherOptions settings = options.Value;
        using var timer = new PeriodicTimer(settings.Interval, time);
        int reading = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                string celsius = (20 + (reading++ % 10) * 0.5).ToString("0.0", CultureInfo.InvariantCulture);
                await client.PublishAsync(settings.Topic, celsius, MqttQualityOfService.AtLeastOnce, cancellationToken: stoppingToken).ConfigureAwait(false);
                logger.LogInformation("Published {Celsius} °C to {Topic}.", celsius, settings.Topic);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }
}
