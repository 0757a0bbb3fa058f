using System.Globalization;
using StateMachineMqtt.Cli.Commands;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt.Cli.Bench;

/// <summary>
/// <c>smqtt bench [--messages N] [--quick]</c>: publish rate of smqtt, MQTTnet 5 and mosquitto_pub -l at QoS 0 and 1, for
/// 16 B and 1 KiB payloads, against one broker with one in-flight window (20); prints each rate and smqtt's ratios.
/// </summary>
internal static class BenchCommand
{
    /// <summary>Messages per measurement without --messages.</summary>
    public const int DefaultMessages = 20_000;

    /// <summary>Messages per measurement with --quick: the whole run takes seconds.</summary>
    public const int QuickMessages = 2_000;

    private static readonly int[] PayloadSizes = [16, 1024];

    /// <summary>Runs the measurements and prints the table; exit 0.</summary>
    public static async Task<int> RunAsync(CliArguments arguments, TextWriter stdout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(stdout);
        int messages = arguments.Messages ?? (arguments.Quick ? QuickMessages : DefaultMessages);
        var broker = await BenchBroker.StartAsync(cancellationToken).ConfigureAwait(false);
        await using (broker.ConfigureAwait(false))
        {
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"smqtt bench: {messages:N0} messages per run, in-flight window {PublishRate.Window}, broker: {broker.Name}, load average {LoadAverage()}")).ConfigureAwait(false);
            await stdout.WriteLineAsync().ConfigureAwait(false);
            await stdout.WriteLineAsync("| workload | smqtt msg/s | MQTTnet msg/s | mosquitto_pub msg/s | smqtt / mosquitto_pub | smqtt / MQTTnet |").ConfigureAwait(false);
            await stdout.WriteLineAsync("|---|---:|---:|---:|---:|---:|").ConfigureAwait(false);
            foreach (MqttQualityOfService qos in new[] { MqttQualityOfService.AtLeastOnce, MqttQualityOfService.AtMostOnce })
            {
                foreach (int size in PayloadSizes)
                {
                    double smqtt = await PublishRate.SmqttAsync(broker.Port, qos, size, messages, cancellationToken).ConfigureAwait(false);
                    double mqttnet = await PublishRate.MqttnetAsync(broker.Port, qos, size, messages, cancellationToken).ConfigureAwait(false);
                    double? mosquitto = await PublishRate.MosquittoPubAsync(broker.Port, qos, size, messages, cancellationToken).ConfigureAwait(false);
                    await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"| publish QoS {(int)qos}, {SizeName(size)} | {smqtt:N0} | {mqttnet:N0} | {Rate(mosquitto)} | {Ratio(smqtt, mosquitto)} | {smqtt / mqttnet:0.00} |")).ConfigureAwait(false);
                }
            }

            await stdout.WriteLineAsync().ConfigureAwait(false);
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"load average after: {LoadAverage()} (figures mean little on a busy machine)")).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    /// <summary>A rate, or why there is none: not installed (null), or a run too short to time (NaN).</summary>
    private static string Rate(double? rate) => rate switch
    {
        null => "not installed",
        double.NaN => "too short to time (use --messages)",
        { } r => r.ToString("N0", CultureInfo.InvariantCulture),
    };

    private static string Ratio(double ours, double? theirs) =>
        theirs is { } t && !double.IsNaN(t) ? (ours / t).ToString("0.00", CultureInfo.InvariantCulture) : "-";

    private static string SizeName(int size) => size >= 1024 ? (size / 1024).ToString(CultureInfo.InvariantCulture) + " KiB" : size.ToString(CultureInfo.InvariantCulture) + " B";

    /// <summary>The 1-minute load average from /proc/loadavg, or "unknown" off Linux.</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }
}
