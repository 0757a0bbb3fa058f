using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace StateMachineMqtt.Extensions.Hosting;

/// <summary>
/// Hands a received message to every registered handler whose filter matches its topic (the broker's rule,
/// <see cref="MqttTopicMatcher.IsMatch"/>), one after another in registration order, each resolved from one DI scope made
/// for the message. A handler that throws is logged and the others still run.
/// </summary>
internal sealed class MqttMessageDispatcher(IServiceScopeFactory scopes, IEnumerable<MqttHandlerRegistration> registrations, ILogger<MqttMessageDispatcher> logger)
{
    private readonly MqttHandlerRegistration[] _registrations = [.. registrations];

    /// <summary>The registrations, in the order they were made.</summary>
    public IReadOnlyList<MqttHandlerRegistration> Registrations => _registrations;

    /// <summary>Runs the matching handlers; completes when they all have. Only cancellation by <paramref name="cancellationToken"/> escapes.</summary>
    public async Task DispatchAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        AsyncServiceScope? scope = null;
        try
        {
            foreach (MqttHandlerRegistration registration in _registrations)
            {
                if (MqttTopicMatcher.IsMatch(registration.TopicFilter, message.Topic))
                {
                    scope ??= scopes.CreateAsyncScope();
                    await RunAsync(registration, scope.Value.ServiceProvider, message, cancellationToken).ConfigureAwait(false);
                }
            }

            if (scope is null)
            {
                logger.LogDebug("MQTT message on {Topic} matches no handler's filter; it is dropped.", message.Topic);
            }
        }
        finally
        {
            if (scope is { } made)
            {
                await made.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "A failing handler must not stop the consumer: whatever it throws is logged, and the next handler and message go on.")]
    private async Task RunAsync(MqttHandlerRegistration registration, IServiceProvider services, MqttMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var handler = (IMqttMessageHandler)services.GetRequiredService(registration.HandlerType);
            await handler.HandleAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            logger.LogError(e, "MQTT handler {Handler} (filter {TopicFilter}) failed on a message on {Topic}; the message was already acknowledged and is not delivered again. The next message goes on.", registration.HandlerType.Name, registration.TopicFilter, message.Topic);
        }
    }
}
