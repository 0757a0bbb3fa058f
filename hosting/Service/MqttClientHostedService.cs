using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace StateMachineMqtt.Extensions.Hosting;

/// <summary>
/// Runs the client with the host. Start: ConnectAsync (the client retries with its own backoff) and wait for it at most
/// <see cref="MqttHostingOptions.StartupWait"/>; once connected, the consumer subscribes the handlers' filters and
/// dispatches messages. Stop: end the consumer, optionally drain, then DisconnectAsync, each within the stop token.
/// </summary>
internal sealed class MqttClientHostedService(
    IMqttClient client,
    IOptions<MqttClientOptions> clientOptions,
    IOptions<MqttHostingOptions> hostingOptions,
    MqttMessageConsumer consumer,
    TimeProvider time,
    ILogger<MqttClientHostedService> logger) : IHostedService, IDisposable
{
    private readonly MqttHostingOptions _hosting = hostingOptions.Value;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _running;

    private string Broker => $"{clientOptions.Value.Server}:{clientOptions.Value.EffectivePort}";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The connect goes on past StartupWait, until it succeeds, fails for good, or the host stops.
        Task connect = client.ConnectAsync(_stopping.Token);
        _running = consumer.RunAsync(connect, _stopping.Token);
        try
        {
            await connect.WaitAsync(_hosting.StartupWait, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!_hosting.RequireConnectionAtStartup)
        {
            logger.LogWarning("MQTT client not connected to {Broker} within StartupWait ({StartupWait}); the host starts and the client keeps trying in the background.", Broker, _hosting.StartupWait);
        }
        catch (TimeoutException e)
        {
            throw new InvalidOperationException($"The MQTT client did not connect to {Broker} within StartupWait ({_hosting.StartupWait}), and RequireConnectionAtStartup is set, so the host does not start. Check that the broker is reachable, raise StartupWait, or clear RequireConnectionAtStartup to start without the broker.", e);
        }
        catch (MqttConnectException) when (!_hosting.RequireConnectionAtStartup)
        {
            // The consumer logs why; the host runs without the broker and the health check says so.
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_running is null)
        {
            return; // never started
        }

        await _stopping.CancelAsync().ConfigureAwait(false); // ends the consumer, a handler's wait, and a connect still under way
        await WithinAsync(_running, "the message consumer to end", cancellationToken).ConfigureAwait(false);
        if (_hosting.DrainOnStop)
        {
            await WithinAsync(client.DrainAsync(cancellationToken), $"the {client.HeldMessageCount} held messages to complete", cancellationToken).ConfigureAwait(false);
        }

        // Started without the stop token, so the DISCONNECT goes even when the token has fired; only the wait is bounded.
        await WithinAsync(client.DisconnectAsync(CancellationToken.None), "DISCONNECT", cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        // A host whose start failed is disposed without StopAsync: end the consumer and the connect wait here.
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task WithinAsync(Task task, string what, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("The host's shutdown time ran out waiting for {What}; the MQTT client stops anyway.", what);
        }
    }
}
