namespace StateMachineMqtt.Extensions.Hosting;

/// <summary>
/// Handles received messages whose topic matches the filter it was registered with
/// (<see cref="MqttClientBuilder.AddHandler{THandler}"/>). Resolved from a dependency-injection scope made for each
/// message, so a handler may take scoped services.
/// </summary>
public interface IMqttMessageHandler
{
    /// <summary>
    /// Handles one message. The client acknowledged it to the broker when it was queued for the application, before this
    /// runs: an exception is logged and the message is not delivered again, so retry inside the handler where that matters.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Fires when the host stops.</param>
    Task HandleAsync(MqttMessage message, CancellationToken cancellationToken);
}
