namespace StateMachineMqtt;

/// <summary>How long to wait before each reconnect attempt.</summary>
public interface IReconnectPolicy
{
    /// <summary>The delay before attempt number <paramref name="attempt"/> (1 for the first retry after a loss).</summary>
    TimeSpan NextDelay(int attempt);
}

/// <summary>
/// Bounded exponential backoff with jitter: attempt n waits a random time in [d/2, d] where
/// d = min(Maximum, Initial × 2^(n-1)). Jitter keeps a fleet of devices from reconnecting in step. A client given this
/// policy runs it in its engine, by spec/'s BackoffRules; <see cref="NextDelay"/> computes the same for other callers.
/// </summary>
public sealed class ExponentialBackoff : IReconnectPolicy
{
    private readonly Random _random;

    /// <summary>Creates the policy; pass a seed for reproducible delays (tests).</summary>
    public ExponentialBackoff(TimeSpan initial, TimeSpan maximum, int? seed = null)
    {
        if (initial <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(initial), initial, "The initial reconnect delay must be positive, e.g. TimeSpan.FromSeconds(1).");
        }

        if (maximum < initial)
        {
            throw new ArgumentOutOfRangeException(nameof(maximum), maximum, $"The maximum reconnect delay must be at least the initial delay ({initial}).");
        }

        Initial = initial;
        Maximum = maximum;
        Seed = seed;
#pragma warning disable CA5394 // jitter, not security
        _random = seed is { } s ? new Random(s) : new Random();
#pragma warning restore CA5394
    }

    /// <summary>The delay before the first retry (upper end of its jitter range).</summary>
    public TimeSpan Initial { get; }

    /// <summary>The largest delay ever returned: the backoff bound of invariant I6.</summary>
    public TimeSpan Maximum { get; }

    /// <summary>The jitter's seed, when one was given: the client's engine draws its jitter from it too.</summary>
    public int? Seed { get; }

    /// <inheritdoc />
    public TimeSpan NextDelay(int attempt)
    {
#pragma warning disable CA5394 // jitter, not security
        int random = _random.Next(Spec.BackoffRules.Scale);
#pragma warning restore CA5394
        return TimeSpan.FromMilliseconds(Spec.BackoffRules.DelayMs(attempt, (long)Initial.TotalMilliseconds, (long)Maximum.TotalMilliseconds, random));
    }
}
