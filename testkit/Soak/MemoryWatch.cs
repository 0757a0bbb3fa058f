namespace StateMachineMqtt.TestKit.Soak;

/// <summary>
/// Samples the managed heap while a run lasts and keeps the peak growth over the heap as the run began (after a full
/// collection), so what the process held before the run does not count against the clients.
/// </summary>
internal sealed class MemoryWatch : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private readonly long _baseline;
    private long _peak;

    public MemoryWatch(TimeProvider time)
    {
        _baseline = GC.GetTotalMemory(forceFullCollection: true);
        _sampling = SampleAsync(time);
    }

    /// <summary>Largest growth of the managed heap over its size when the run began, in MB.</summary>
    public double PeakMegabytes => Math.Max(0, Interlocked.Read(ref _peak) - _baseline) / (1024.0 * 1024.0);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _sampling.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task SampleAsync(TimeProvider time)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                long now = GC.GetTotalMemory(forceFullCollection: false);
                if (now > Interlocked.Read(ref _peak))
                {
                    Interlocked.Exchange(ref _peak, now);
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // run over
        }
    }
}
