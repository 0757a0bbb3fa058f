using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt.Extensions.Hosting;

/// <summary>Registers an MQTT client that starts and stops with the generic host.</summary>
public static class MqttServiceCollectionExtensions
{
    /// <summary>
    /// Registers the client with its options bound from <paramref name="section"/> (e.g. "Mqtt": Server, Port, ClientId,
    /// KeepAlive as "00:00:20"...) and the hosting options from its "Hosting" subsection. See
    /// <see cref="AddMqttClient(IServiceCollection, Action{MqttClientOptions})"/> for what is registered.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The configuration section holding <see cref="MqttClientOptions"/>.</param>
    public static MqttClientBuilder AddMqttClient(this IServiceCollection services, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<MqttClientOptions>().Bind(section);
        services.AddOptions<MqttHostingOptions>().Bind(section.GetSection("Hosting"));
        return AddCore(services, $"configuration section '{section.Path}'");
    }

    /// <summary>
    /// Registers the client with options set in code. Registered: <see cref="MqttClient"/> and <see cref="IMqttClient"/> (one
    /// singleton, made with the TimeProvider, ILoggerFactory, IMeterFactory and IMqttTransport registered in DI, where they are, else the
    /// system clock, no logging and TCP/TLS), the options (validated when the host starts, by
    /// <see cref="MqttClientOptions.Validate"/>: a bad setting fails the start with OptionsValidationException saying which
    /// and how to fix it), and the hosted service that connects on start and disconnects on stop (<see cref="MqttHostingOptions"/>).
    /// Calling AddMqttClient again adds configuration to the same client.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    public static MqttClientBuilder AddMqttClient(this IServiceCollection services, Action<MqttClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure(configure);
        return AddCore(services, "options set in code");
    }

    private static MqttClientBuilder AddCore(IServiceCollection services, string source)
    {
        var builder = new MqttClientBuilder(services);
        if (services.Any(d => d.ServiceType == typeof(Registered)))
        {
            return builder; // registered already: the new options add to the same client
        }

        services.AddSingleton<Registered>();
        services.AddOptions<MqttClientOptions>().ValidateOnStart()
            .PostConfigure<IServiceProvider>((options, sp) => options.MeterFactory ??= sp.GetService<IMeterFactory>()); // the host's metrics pipeline
        services.AddOptions<MqttHostingOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<MqttClientOptions>>(new ThrowingOptionsValidator<MqttClientOptions>($"MqttClientOptions ({source})", o => o.Validate()));
        services.AddSingleton<IValidateOptions<MqttHostingOptions>>(new ThrowingOptionsValidator<MqttHostingOptions>($"MqttHostingOptions ({source}, Hosting)", o => o.Validate()));
        services.TryAddSingleton(sp => new MqttClient(
            sp.GetRequiredService<IOptions<MqttClientOptions>>().Value,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<IMqttTransport>()));
        services.TryAddSingleton<IMqttClient>(sp => sp.GetRequiredService<MqttClient>());
        services.TryAddSingleton<MqttMessageDispatcher>();
        services.TryAddSingleton<MqttMessageConsumer>();
        services.AddHostedService(sp => new MqttClientHostedService(
            sp.GetRequiredService<IMqttClient>(),
            sp.GetRequiredService<IOptions<MqttClientOptions>>(),
            sp.GetRequiredService<IOptions<MqttHostingOptions>>(),
            sp.GetRequiredService<MqttMessageConsumer>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILogger<MqttClientHostedService>>()));
        return builder;
    }

    /// <summary>Marks a service collection AddMqttClient has registered its services in.</summary>
    private sealed class Registered;
}
