using System.Diagnostics;
using System.Globalization;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt.Cli.Bench;

/// <summary>
/// Publish rate, in messages per second, of each client against the same broker with the same in-flight window. smqtt and
/// MQTTnet run in this process, timed from after CONNECT to the last publish's completion (its PUBACK at QoS 1), with at
/// most <see cref="Window"/> publishes outstanding. mosquitto_pub -l runs as a child fed N lines on stdin; its time, less
/// that of a run of one line (start, connect, disconnect), is the time of N publishes.
/// </summary>
internal static class PublishRate
{
    /// <summary>Publishes outstanding at once: the C client's default in-flight window (mosquitto_pub -M).</summary>
    public const int Window = 20;

    private const string Topic = "smqtt/bench/rate";

    /// <summary>smqtt's rate.</summary>
    public static async Task<double> SmqttAsync(int port, MqttQualityOfService qos, int size, int messages, CancellationToken cancellationToken)
    {
        var options = new MqttClientOptions { ClientId = "smqtt-bench", Server = "127.0.0.1", Port = port, MaxInflight = Window };
        var client = new MqttClient(options);
        await using (client.ConfigureAwait(false))
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            byte[] payload = new byte[size];
            var elapsed = await TimeWindowedAsync(messages, () => client.PublishAsync(Topic, payload, qos, false, cancellationToken)).ConfigureAwait(false);
            await client.DisconnectAsync(cancellationToken).ConfigureAwait(false);
            return messages / elapsed.TotalSeconds;
        }
    }

    /// <summary>MQTTnet 5's rate.</summary>
    public static async Task<double> MqttnetAsync(int port, MqttQualityOfService qos, int size, int messages, CancellationToken cancellationToken)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithClientId("mqttnet-bench")
            .Build();
        await client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(Topic)
            .WithPayload(new byte[size])
            .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)(int)qos)
            .Build();
        var elapsed = await TimeWindowedAsync(messages, () => client.PublishAsync(message, cancellationToken)).ConfigureAwait(false);
        await client.DisconnectAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return messages / elapsed.TotalSeconds;
    }

    /// <summary>mosquitto_pub -l's rate, or null when mosquitto_pub is not installed.</summary>
    public static async Task<double?> MosquittoPubAsync(int port, MqttQualityOfService qos, int size, int messages, CancellationToken cancellationToken)
    {
        if (!File.Exists(MosquittoPubPath))
        {
            return null;
        }

        // Each line is a message without its newline; the line is 'x' repeated, so the payload is exactly size bytes. The
        // fixed cost (exec, CONNECT, DISCONNECT) is the fastest of three one-line runs; a run barely longer than that is too
        // short to time, so it is not given a rate (NaN) rather than a wild one.
        TimeSpan one = TimeSpan.MaxValue;
        for (int i = 0; i < 3; i++)
        {
            TimeSpan run = await RunMosquittoPubAsync(port, qos, size, 1, cancellationToken).ConfigureAwait(false);
            one = run < one ? run : one;
        }

        TimeSpan all = await RunMosquittoPubAsync(port, qos, size, messages, cancellationToken).ConfigureAwait(false);
        TimeSpan publishing = all - one;
        return publishing < all * 0.2 ? double.NaN : messages / publishing.TotalSeconds;
    }

    /// <summary>Where mosquitto-clients puts mosquitto_pub.</summary>
    public const string MosquittoPubPath = "/usr/bin/mosquitto_pub";

    private static async Task<TimeSpan> RunMosquittoPubAsync(int port, MqttQualityOfService qos, int size, int messages, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(MosquittoPubPath)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-t", Topic, "-q", ((int)qos).ToString(CultureInfo.InvariantCulture), "-M", Window.ToString(CultureInfo.InvariantCulture), "-l" })
        {
            start.ArgumentList.Add(argument);
        }

        string line = new('x', size);
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto_pub did not start.");
        Task<string> errors = process.StandardError.ReadToEndAsync(cancellationToken);
        for (int i = 0; i < messages; i++)
        {
            await process.StandardInput.WriteLineAsync(line).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        stopwatch.Stop();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"mosquitto_pub exited {process.ExitCode}: {await errors.ConfigureAwait(false)}");
        }

        return stopwatch.Elapsed;
    }

    /// <summary>Runs <paramref name="publish"/> <paramref name="messages"/> times with at most <see cref="Window"/> outstanding; the time it took.</summary>
    private static async Task<TimeSpan> TimeWindowedAsync(int messages, Func<Task> publish)
    {
        var outstanding = new Task[Window];
        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < messages; i++)
        {
            int slot = i % Window;
            if (outstanding[slot] is { } earlier)
            {
                await earlier.ConfigureAwait(false);
            }

            outstanding[slot] = publish();
        }

        foreach (Task task in outstanding)
        {
            if (task is not null)
            {
                await task.ConfigureAwait(false);
            }
        }

        stopwatch.Stop();
        return stopwatch.Elapsed;
    }
}
