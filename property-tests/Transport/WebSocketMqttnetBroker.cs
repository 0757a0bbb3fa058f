using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MQTTnet.AspNetCore;
using MQTTnet.Server;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Transport;

/// <summary>
/// The MQTTnet broker served over WebSockets by a Kestrel host on loopback: ws:// on one port, and wss:// on another
/// when a certificate is given (Mosquitto 2.0.11 here is built without websockets).
/// </summary>
internal sealed class WebSocketMqttnetBroker : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebSocketMqttnetBroker(WebApplication app, int port, int? tlsPort)
    {
        _app = app;
        Port = port;
        TlsPort = tlsPort;
        Server = app.Services.GetRequiredService<MqttServer>();
    }

    /// <summary>The plain HTTP port: ws://127.0.0.1:Port/mqtt.</summary>
    public int Port { get; }

    /// <summary>The HTTPS port, when a certificate was given: wss://localhost:TlsPort/mqtt.</summary>
    public int? TlsPort { get; }

    /// <summary>The MQTTnet server, e.g. to drop a client's socket.</summary>
    public MqttServer Server { get; }

    public Uri WebSocketUri => new($"ws://127.0.0.1:{Port}/mqtt");

    public Uri SecureWebSocketUri => new($"wss://localhost:{TlsPort}/mqtt");

    public static async Task<WebSocketMqttnetBroker> StartAsync(X509Certificate2? certificate, CancellationToken cancellationToken)
    {
        int port = LoopbackPorts.FindFree();
        int? tlsPort = certificate is null ? null : LoopbackPorts.FindFree();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            if (certificate is not null)
            {
                kestrel.Listen(IPAddress.Loopback, tlsPort!.Value, listen => listen.UseHttps(certificate));
            }
        });
        builder.Services.AddHostedMqttServer(options => options.WithoutDefaultEndpoint());
        builder.Services.AddMqttConnectionHandler();
        builder.Services.AddConnections();
        WebApplication app = builder.Build();
        app.UseWebSockets();
        app.MapMqtt("/mqtt");
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new WebSocketMqttnetBroker(app, port, tlsPort);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
