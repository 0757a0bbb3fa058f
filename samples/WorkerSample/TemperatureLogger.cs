using Microsoft.Extensions.Logging;
using StateMachineMqtt.Extensions.Hosting;

namespace StateMachineMqtt.Samples.Worker;

/// <summary>Logs each reading received on <see cref="WorkerSampleHost.TemperatureFilter"/>.</summary>
public sealed class TemperatureLogger(ILogger<TemperatureLogger> logger) : IMqttMessageHandler
{
    /// <inheritdoc/>
    public Task HandleAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        logger.LogInformation("Received {Celsius} °C on {Topic}.", message.PayloadText, message.Topic);
        return Task.CompletedTask;
    }
}
