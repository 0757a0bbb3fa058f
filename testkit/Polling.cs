namespace StateMachineMqtt.TestKit;

/// <summary>Waiting for a condition that real sockets and processes make true on their own clock: the soak's and the demo's.</summary>
public static class Polling
{
    /// <summary>
    /// Checks <paramref name="condition"/> every <paramref name="interval"/> of <paramref name="time"/> until it holds (true)
    /// or <paramref name="limit"/> passes (false).
    /// </summary>
    public static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan limit, TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(time);
        long start = time.GetTimestamp();
        while (!condition())
        {
            if (time.GetElapsedTime(start) > limit)
            {
                return false;
            }

            await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }
}
