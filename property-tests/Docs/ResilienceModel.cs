using System.Globalization;
using System.Text;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Docs;

/// <summary>
/// docs/resilience-model.md's generated blocks: the numbers the default options give each detection and recovery rule
/// (computed by spec/'s rules from a fresh MqttClientOptions), and spec/'s socket-error table.
/// </summary>
internal static class ResilienceModel
{
    /// <summary>Every generated block, by marker name.</summary>
    public static IReadOnlyList<(string Name, string Markdown)> Blocks() =>
    [
        ("ResilienceDefaults", Defaults(new MqttClientOptions())),
        ("SocketErrorTable", SpecReadmeTables.Blocks(SpecXmlDocs.Load()).Single(b => b.Name == "SocketErrorTable").Markdown),
    ];

    /// <summary>What the rules make of <paramref name="options"/>: when pings go, when a link is dead, how reconnects are spaced.</summary>
    internal static string Defaults(MqttClientOptions options)
    {
        var backoff = (ExponentialBackoff)options.ReconnectPolicy;
        long keepAliveMs = (long)options.KeepAlive.TotalMilliseconds;
        long pingMs = KeepAliveRules.PingIntervalInForceMs(keepAliveMs, (long)(options.PingInterval ?? TimeSpan.Zero).TotalMilliseconds);
        long responseMs = (long)options.ResponseTime.TotalMilliseconds;
        string ranges = string.Join(", ", Enumerable.Range(1, 7).Select(attempt =>
        {
            long ceiling = BackoffRules.CeilingMs(attempt, (long)backoff.Initial.TotalMilliseconds, (long)backoff.Maximum.TotalMilliseconds);
            return $"{Ms(ceiling / 2)}–{Ms(ceiling)}";
        }));

        var text = new StringBuilder();
        text.Append("| What | Rule (where) | With the defaults |\n|---|---|---|\n");
        Row(text, "A PINGREQ is sent", "after a ping interval with nothing sent, or nothing received since the last ping; the interval is `PingInterval`, or `KeepAlive` / 4 (`KeepAliveRules.PingIntervalInForceMs`)", $"every {Ms(pingMs)} of quiet");
        Row(text, "A silent link is declared dead", "after a whole `KeepAlive` with nothing received (`KeepAliveRules.Judge`, I5)", $"{Ms(keepAliveMs)} after the last packet received");
        Row(text, "A socket open, CONNACK, SUBACK or UNSUBACK that does not come", "ends the link after `ResponseTime` (Connection table, `ResponseTimeout`)", Ms(responseMs));
        Row(text, "A QoS 1 or 2 message with no answer", "re-sent with DUP after each `ResponseTime`, `MaxRepublishes` times on one link (MQTT 5: waits as long, re-sends on the next link); the next timeout declares the link dead (Publish table, `RetriesExhausted`)",
            $"{options.MaxRepublishes} re-sends; link dead after {Ms((options.MaxRepublishes + 1) * responseMs)}");
        Row(text, "Reconnect attempt n waits", "a random time in [d/2, d], d = min(maximum, initial × 2^(n−1)) (`BackoffRules.DelayMs`)", $"attempts 1 to 7: {ranges}");
        Row(text, "The delays start over", "after a link that stayed up `StableLinkTime`, or on which the broker acknowledged a message (`ConnectRules.NextBackoffAttempt`)", $"after {Ms((long)options.StableLinkTime.TotalMilliseconds)} up");
        Row(text, "The first connect gives up", "when `FirstConnectTimeout` or `FirstConnectAttempts` is reached (`ConnectRules.FirstConnectBoundReached`); once connected, never", options.FirstConnectTimeout is null && options.FirstConnectAttempts is null ? "never (no bound set)" : "at the bound set");
        return text.ToString();
    }

    private static void Row(StringBuilder text, string what, string rule, string value) =>
        text.Append(CultureInfo.InvariantCulture, $"| {what} | {rule} | {value} |\n");

    private static string Ms(long ms) =>
        ms % 1000 == 0 ? $"{ms / 1000} s" : ms < 1000 ? $"{ms} ms" : $"{(ms / 1000.0).ToString(CultureInfo.InvariantCulture)} s";
}
