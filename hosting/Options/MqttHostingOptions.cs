namespace StateMachineMqtt.Extensions.Hosting;

/// <summary>
/// How the hosted MQTT client starts and stops with the host. Bound from the "Hosting" subsection of the section given to
/// <see cref="MqttServiceCollectionExtensions.AddMqttClient(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfigurationSection)"/>
/// (e.g. "Mqtt:Hosting"), or set with <see cref="MqttClientBuilder.ConfigureHosting"/>.
/// </summary>
public sealed class MqttHostingOptions
{
    /// <summary>
    /// How long the host's start waits for the first connect (a CONNACK accepting the client). The client retries with its
    /// own backoff meanwhile. When this elapses first, the host starts anyway and the connect carries on in the background
    /// (unless <see cref="RequireConnectionAtStartup"/>); handlers' subscriptions are made once it succeeds. Default 10 s;
    /// <see cref="TimeSpan.Zero"/> does not wait at all, <see cref="Timeout.InfiniteTimeSpan"/> waits until connected.
    /// Measured on the TimeProvider registered in DI, else the system clock.
    /// </summary>
    public TimeSpan StartupWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When true, the host does not start unless the client connects within <see cref="StartupWait"/>: the host's start
    /// throws (InvalidOperationException when the wait elapsed, MqttConnectException when the connect failed for good,
    /// e.g. refused credentials). False, the default, logs the problem and starts the host; the health check reports it.
    /// </summary>
    public bool RequireConnectionAtStartup { get; set; }

    /// <summary>
    /// When true, stopping the host first waits until every message accepted so far has completed (DrainAsync), within
    /// the host's shutdown time, and then disconnects. False, the default, disconnects at once; held messages then end
    /// with the process.
    /// </summary>
    public bool DrainOnStop { get; set; }

    /// <summary>Throws ArgumentException naming the first invalid setting and how to fix it.</summary>
    public void Validate()
    {
        if (StartupWait < TimeSpan.Zero && StartupWait != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(StartupWait), StartupWait, "StartupWait must be zero or more (e.g. 00:00:10), or Timeout.InfiniteTimeSpan (-00:00:00.001) to wait until connected.");
        }
    }
}
