using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt.Extensions.Hosting;

/// <summary>What AddMqttClient returns: adds message handlers and configures the client and its hosting, by chained calls.</summary>
public sealed class MqttClientBuilder
{
    internal MqttClientBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection the client is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Sends every received message whose topic matches <paramref name="topicFilter"/> to <typeparamref name="THandler"/>,
    /// resolved from a DI scope made for the message (registered as scoped unless it is registered already). The hosted
    /// service subscribes to the filter after the first connect, once for all its handlers, at the highest QoS they ask
    /// for. A message matching several registrations goes to each of them in turn, in registration order; messages are
    /// handled one at a time, in the order they arrived. With any handler registered, the hosted service reads
    /// ReadMessagesAsync itself; read your own messages through SubscribeStreamAsync.
    /// </summary>
    /// <param name="topicFilter">A topic filter such as "home/+/temperature" or "$share/workers/jobs/#".</param>
    /// <param name="qualityOfService">The QoS to subscribe with.</param>
    /// <exception cref="ArgumentException"><paramref name="topicFilter"/> is not a valid topic filter.</exception>
    public MqttClientBuilder AddHandler<THandler>(string topicFilter, MqttQualityOfService qualityOfService = MqttQualityOfService.AtLeastOnce)
        where THandler : class, IMqttMessageHandler
    {
        if (!MqttTopicMatcher.IsValidFilter(topicFilter))
        {
            throw new ArgumentException($"AddHandler<{typeof(THandler).Name}>: \"{topicFilter}\" is not a valid topic filter. A filter is not empty, has no U+0000 and at most 65,535 UTF-8 bytes; '+' fills one whole level and '#' only the last (\"home/+/temperature\", \"home/#\"); a shared subscription reads $share/{{ShareName}}/{{filter}}.", nameof(topicFilter));
        }

        if (qualityOfService > MqttQualityOfService.ExactlyOnce)
        {
            throw new ArgumentOutOfRangeException(nameof(qualityOfService), qualityOfService, "QoS must be 0 (AtMostOnce), 1 (AtLeastOnce) or 2 (ExactlyOnce).");
        }

        Services.TryAddScoped<THandler>();
        Services.AddSingleton(new MqttHandlerRegistration(topicFilter, qualityOfService, typeof(THandler)));
        return this;
    }

    /// <summary>Configures the client's options in code, after (and over) what configuration bound.</summary>
    /// <param name="configure">Changes the options, e.g. to set Tls or an EnhancedAuthenticator.</param>
    public MqttClientBuilder ConfigureClient(Action<MqttClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }

    /// <summary>Configures how the client starts and stops with the host, after (and over) what configuration bound.</summary>
    /// <param name="configure">Changes the hosting options, e.g. StartupWait.</param>
    public MqttClientBuilder ConfigureHosting(Action<MqttHostingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }
}
