namespace StateMachineMqtt.Spec
{
    /// <summary>
    /// Bounded exponential backoff with jitter, as a pure function: attempt n waits a time in [d/2, d], where
    /// d = min(maximum, initial × 2^(n-1)). The random part comes from the caller's source, so a fleet of devices does not
    /// reconnect in lockstep, and a test's seed replays the same delays. The maximum is the backoff bound of invariant I6.
    /// </summary>
    public static class BackoffRules
    {
        /// <summary>The scale of <c>random</c>: a value in [0, Scale).</summary>
        public const int Scale = 1000000;

        /// <summary>The delay before attempt <paramref name="attempt"/> (1 for the first retry), given a random value in [0, <see cref="Scale"/>).</summary>
        public static long DelayMs(int attempt, long initialMs, long maximumMs, int random)
        {
            long ceiling = CeilingMs(attempt, initialMs, maximumMs);
            long half = ceiling / 2;
            return half + ((ceiling - half) * random / Scale);
        }

        /// <summary>The top of attempt <paramref name="attempt"/>'s range: min(maximum, initial × 2^(attempt-1)).</summary>
        public static long CeilingMs(int attempt, long initialMs, long maximumMs)
        {
            long ceiling = initialMs;
            for (int i = 1; i < attempt && ceiling < maximumMs; i++)
            {
                ceiling *= 2;
            }

            return ceiling < maximumMs ? ceiling : maximumMs;
        }
    }
}
