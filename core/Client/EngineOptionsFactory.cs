using StateMachineMqtt.Engine;

namespace StateMachineMqtt;

/// <summary>Maps the public options onto the engine's, and gives the engine its jitter source.</summary>
internal static class EngineOptionsFactory
{
    public static EngineOptions From(MqttClientOptions options) => new()
    {
        ProtocolVersion = options.ProtocolVersion,
        AuthenticationMethod = options.EnhancedAuthenticator?.Method,
        CleanSession = options.CleanSession,
        CleanSessionOnFirstConnect = options.CleanSessionOnFirstConnect,
        KeepAliveMs = (long)options.KeepAlive.TotalMilliseconds,
        PingIntervalMs = options.PingInterval is { } ping ? (long)ping.TotalMilliseconds : 0,
        ResponseTimeMs = (long)options.ResponseTime.TotalMilliseconds,
        MaxRepublishes = options.MaxRepublishes,
        MaxInflight = options.MaxInflight,
        MaxQueuedMessages = options.MaxQueuedMessages,
        MaxQueuedBytes = options.MaxQueuedBytes,
        OutboundOverflow = options.OutboundOverflow,
        ReceiveQueueLength = options.ReceiveQueueLength,
        ReceiveOverflow = options.ReceiveOverflow,
        StableLinkMs = (long)options.StableLinkTime.TotalMilliseconds,
        FirstConnectTimeoutMs = options.FirstConnectTimeout is { } timeout ? Math.Max(1, (long)timeout.TotalMilliseconds) : 0,
        FirstConnectAttempts = options.FirstConnectAttempts ?? 0,
        BackoffInitialMs = options.ReconnectPolicy is ExponentialBackoff e ? Math.Max(1, (long)e.Initial.TotalMilliseconds) : 1000,
        BackoffMaximumMs = options.ReconnectPolicy is ExponentialBackoff m ? Math.Max(1, (long)m.Maximum.TotalMilliseconds) : 30000,
        Backoff = options.ReconnectPolicy is ExponentialBackoff ? null : new CustomBackoff(options.ReconnectPolicy),
        MaxOutboundPacketSize = options.MaximumPacketSize, // one limit both ways (see MqttClientOptions.MaximumPacketSize)
        ServerCount = options.EffectiveServers().Length,
        FollowServerReference = options.FollowServerReference,
        RecordSession = options.HasStore,
    };

    /// <summary>The engine's jitter: seeded from ExponentialBackoff's seed when it has one, so a test replays its delays.</summary>
    public static IRandomSource Jitter(MqttClientOptions options) =>
        new RandomSource(options.ReconnectPolicy is ExponentialBackoff { Seed: { } seed } ? new Random(seed) : new Random());

    private sealed class RandomSource(Random random) : IRandomSource
    {
#pragma warning disable CA5394 // jitter, not security
        public int Next(int exclusiveMaximum) => random.Next(exclusiveMaximum);
#pragma warning restore CA5394
    }

    /// <summary>An application's own IReconnectPolicy, in the engine's terms.</summary>
    private sealed class CustomBackoff(IReconnectPolicy policy) : IBackoffPolicy
    {
        public long DelayMs(int attempt) => Math.Max(0, (long)policy.NextDelay(attempt).TotalMilliseconds);
    }
}
