using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StateMachineMqtt.Extensions.Hosting;

namespace StateMachineMqtt.PropertyTests.Hosting;

/// <summary>AddMqttClient binds MqttClientOptions and MqttHostingOptions from configuration and validates them when the host starts.</summary>
public class OptionsBindingTests
{
    [Fact]
    public void The_section_binds_the_client_options_and_its_Hosting_subsection_the_hosting_options()
    {
        HostApplicationBuilder builder = HostingTestHost.Create(new Dictionary<string, string?>
        {
            ["Mqtt:Server"] = "broker.example.com",
            ["Mqtt:Port"] = "1884",
            ["Mqtt:ClientId"] = "bound",
            ["Mqtt:KeepAlive"] = "00:00:20",
            ["Mqtt:CleanSession"] = "false",
            ["Mqtt:ProtocolVersion"] = "V500",
            ["Mqtt:Hosting:StartupWait"] = "00:00:03",
            ["Mqtt:Hosting:DrainOnStop"] = "true",
        });
        builder.Services.AddMqttClient(builder.Configuration.GetSection("Mqtt"))
            .ConfigureClient(o => o.MaxInflight = 7); // code runs after, and over, the configuration

        using IHost host = builder.Build();
        MqttClientOptions client = host.Services.GetRequiredService<IOptions<MqttClientOptions>>().Value;
        MqttHostingOptions hosting = host.Services.GetRequiredService<IOptions<MqttHostingOptions>>().Value;

        Assert.Equal(("broker.example.com", 1884, "bound"), (client.Server, client.Port, client.ClientId));
        Assert.Equal(TimeSpan.FromSeconds(20), client.KeepAlive);
        Assert.False(client.CleanSession);
        Assert.Equal(StateMachineMqtt.Spec.MqttProtocolVersion.V500, client.ProtocolVersion);
        Assert.Equal(7, client.MaxInflight);
        Assert.Equal(TimeSpan.FromSeconds(3), hosting.StartupWait);
        Assert.True(hosting.DrainOnStop);
        Assert.False(hosting.RequireConnectionAtStartup);
    }

    /// <summary>The client's metrics go through the host's IMeterFactory, so the host's metrics pipeline sees them; one set in code wins.</summary>
    [Fact]
    public void The_client_options_take_the_hosts_meter_factory_unless_one_is_set()
    {
        HostApplicationBuilder builder = HostingTestHost.Create(HostingTestHost.MqttSection(1883, "metered"));
        builder.Services.AddMqttClient(builder.Configuration.GetSection("Mqtt"));
        using IHost host = builder.Build();
        Assert.Same(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), host.Services.GetRequiredService<IOptions<MqttClientOptions>>().Value.MeterFactory);

        using var own = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var mine = own.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        HostApplicationBuilder second = HostingTestHost.Create(HostingTestHost.MqttSection(1883, "metered"));
        second.Services.AddMqttClient(o => o.MeterFactory = mine);
        using IHost other = second.Build();
        Assert.Same(mine, other.Services.GetRequiredService<IOptions<MqttClientOptions>>().Value.MeterFactory);
    }

    [Theory]
    [InlineData("Mqtt:Port", "70000", "Port must be between 1 and 65535")]
    [InlineData("Mqtt:Server", " ", "Server must name the broker's host")]
    [InlineData("Mqtt:KeepAlive", "-00:00:01", "KeepAlive must be whole seconds between 0 (off) and 65,535 s")]
    public async Task An_invalid_client_setting_fails_the_start_with_the_options_own_message(string key, string value, string expected)
    {
        var settings = HostingTestHost.MqttSection(1883, "invalid");
        settings[key] = value;
        HostApplicationBuilder builder = HostingTestHost.Create(settings);
        builder.Services.AddMqttClient(builder.Configuration.GetSection("Mqtt"));
        using IHost host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.Contains("MqttClientOptions (configuration section 'Mqtt')", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_negative_StartupWait_fails_the_start_saying_what_to_write()
    {
        var settings = HostingTestHost.MqttSection(1883, "invalid-wait");
        settings["Mqtt:Hosting:StartupWait"] = "-00:00:05";
        HostApplicationBuilder builder = HostingTestHost.Create(settings);
        builder.Services.AddMqttClient(builder.Configuration.GetSection("Mqtt"));
        using IHost host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("StartupWait must be zero or more", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_set_in_code_are_checked_by_the_same_rule()
    {
        HostApplicationBuilder builder = HostingTestHost.Create(new Dictionary<string, string?>());
        builder.Services.AddMqttClient(o => o.MaxInflight = 0);
        using IHost host = builder.Build();

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<MqttClientOptions>>().Value);

        Assert.Contains("MqttClientOptions (options set in code): MaxInflight must be between 1 and 65,535.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_AddMqttClient_adds_to_the_same_client()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMqttClient(o => o.ClientId = "first");
        services.AddMqttClient(o => o.Server = "second.example.com");
        await using ServiceProvider provider = services.BuildServiceProvider(); // the client is IAsyncDisposable only, as a host disposes it

        MqttClientOptions options = provider.GetRequiredService<IOptions<MqttClientOptions>>().Value;
        Assert.Equal(("first", "second.example.com"), (options.ClientId, options.Server));
        Assert.Single(provider.GetServices<IHostedService>());
        Assert.Single(services, d => d.ServiceType == typeof(MqttClient));
    }

    [Theory]
    [InlineData("home/+temp")]
    [InlineData("home/#/temp")]
    [InlineData("")]
    public void AddHandler_refuses_an_invalid_filter_where_it_is_written(string filter)
    {
        var services = new ServiceCollection();
        MqttClientBuilder builder = services.AddMqttClient(o => o.ClientId = "filters");

        var failure = Assert.Throws<ArgumentException>(() => builder.AddHandler<RecordingHandler>(filter));

        Assert.Contains("is not a valid topic filter", failure.Message, StringComparison.Ordinal);
    }
}
