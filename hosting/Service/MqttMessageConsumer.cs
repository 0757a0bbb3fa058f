using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt.Extensions.Hosting;

/// <summary>
/// After the first connect, subscribes each handler's filter once — the client restores its subscriptions across
/// reconnects itself (I8) — then reads <see cref="IMqttClient.ReadMessagesAsync"/> and dispatches each message. Without
/// handlers it subscribes and reads nothing, leaving ReadMessagesAsync to the application.
/// </summary>
internal sealed class MqttMessageConsumer(IMqttClient client, IOptions<MqttClientOptions> clientOptions, MqttMessageDispatcher dispatcher, ILogger<MqttMessageConsumer> logger)
{
    /// <summary>Runs until <paramref name="stopping"/> fires; logs, never throws.</summary>
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "It runs unobserved beside the host: whatever ends it is logged, not thrown.")]
    public async Task RunAsync(Task connect, CancellationToken stopping)
    {
        MqttClientOptions options = clientOptions.Value;
        try
        {
            await connect.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            logger.LogError(e, "The MQTT client could not connect to {Server}:{Port} and stopped trying: {Reason} Fix the configuration and restart; until then the health check reports it.", options.Server, options.EffectivePort, e.Message);
            return;
        }

        logger.LogInformation("MQTT client {ClientId} connected to {Server}:{Port}.", client.ClientIdentifier, options.Server, options.EffectivePort);
        if (dispatcher.Registrations.Count == 0)
        {
            return;
        }

        try
        {
            await SubscribeAsync(stopping).ConfigureAwait(false);
            await foreach (MqttMessage message in client.ReadMessagesAsync(stopping).ConfigureAwait(false))
            {
                await dispatcher.DispatchAsync(message, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "The MQTT message consumer stopped: {Reason} No more messages reach the handlers. (With handlers registered, the hosted service owns ReadMessagesAsync: read your own messages through SubscribeStreamAsync.)", e.Message);
        }
    }

    /// <summary>One SUBSCRIBE per distinct filter, at the highest QoS its handlers asked for; a refused one is logged and the others go on.</summary>
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "One refused filter must not keep the other handlers from their messages: it is logged.")]
    private async Task SubscribeAsync(CancellationToken stopping)
    {
        IEnumerable<(string Filter, MqttQualityOfService Qos)> filters = dispatcher.Registrations
            .GroupBy(r => r.TopicFilter, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Max(r => r.QualityOfService)));
        foreach ((string filter, MqttQualityOfService qos) in filters)
        {
            try
            {
                MqttQualityOfService granted = await client.SubscribeAsync(filter, qos, stopping).ConfigureAwait(false);
                logger.LogInformation("Subscribed to {TopicFilter} (QoS {Requested} asked, {Granted} granted).", filter, (int)qos, (int)granted);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Subscribing to {TopicFilter} failed: {Reason} Its handlers get no messages.", filter, e.Message);
            }
        }
    }
}
