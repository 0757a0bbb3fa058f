using System.Globalization;

namespace StateMachineMqtt.Cli.Commands;

/// <summary>The first connect of pub and sub, with a note on stderr when the broker does not answer at once.</summary>
internal static class Connecting
{
    /// <summary>After this long without a CONNACK, say that the client is still trying.</summary>
    private static readonly TimeSpan NoticeAfter = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Connects; the client retries transient failures (refused, unreachable) with backoff until --connect-timeout (or
    /// Ctrl+C), so a silent wait would look like a hang: print once what is happening. Giving up, and configuration
    /// errors, throw MqttConnectException.
    /// </summary>
    public static async Task ConnectAsync(MqttClient client, MqttClientOptions options, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        var connect = client.ConnectAsync(cancellationToken);
        var first = await Task.WhenAny(connect, Task.Delay(NoticeAfter, cancellationToken)).ConfigureAwait(false);
        if (first != connect && !cancellationToken.IsCancellationRequested)
        {
            string until = options.FirstConnectTimeout is { } timeout
                ? string.Create(CultureInfo.InvariantCulture, $"for up to {timeout.TotalSeconds:0.###} s (--connect-timeout)")
                : "until Ctrl+C";
            await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"smqtt: no answer yet from {options.Server}:{options.EffectivePort}; retrying with backoff {until}.")).ConfigureAwait(false);
        }

        await connect.ConfigureAwait(false);
    }
}
