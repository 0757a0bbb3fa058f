using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace StateMachineMqtt.PropertyTests.Hosting;

/// <summary>Hosts for the Hosting tests: no default configuration or logging, just the settings and log capture given.</summary>
internal static class HostingTestHost
{
    /// <summary>A safety net for the waits on real sockets: only a hung test ever reaches it.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    /// <summary>An empty host builder with <paramref name="settings"/> as its configuration and <paramref name="logs"/> capturing its logs.</summary>
    public static HostApplicationBuilder Create(IDictionary<string, string?> settings, WaitingLogProvider? logs = null)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        }

        return builder;
    }

    /// <summary>An "Mqtt" section for a broker on 127.0.0.1:<paramref name="port"/>.</summary>
    public static Dictionary<string, string?> MqttSection(int port, string clientId) => new()
    {
        ["Mqtt:Server"] = "127.0.0.1",
        ["Mqtt:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mqtt:ClientId"] = clientId,
        ["Mqtt:KeepAlive"] = "00:00:10",
    };
}
