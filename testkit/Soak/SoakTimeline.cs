namespace StateMachineMqtt.TestKit.Soak;

/// <summary>
/// When each fault was injected, when each client's link came up, and when each made progress (the publisher got a PUBACK,
/// the subscriber a message). From these: the time to recover after each fault — until the hit client was connected
/// again and made progress. Thread-safe.
/// </summary>
public sealed class SoakTimeline
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly List<(ScheduledFault Fault, TimeSpan At)> _faults = [];
    private readonly List<TimeSpan>[] _linkUps = [[], []];
    private readonly List<TimeSpan>[] _progress = [[], []];
    private readonly int[] _linkDowns = new int[2];

    /// <summary>Starts the clock.</summary>
    public SoakTimeline(TimeProvider time)
    {
        _time = time;
        _start = time.GetTimestamp();
    }

    /// <summary>Time since the run started.</summary>
    public TimeSpan Now => _time.GetElapsedTime(_start);

    /// <summary>Faults injected so far.</summary>
    public int FaultCount
    {
        get
        {
            lock (_gate)
            {
                return _faults.Count;
            }
        }
    }

    /// <summary>A fault is being injected now.</summary>
    public void Injected(ScheduledFault fault) => Add(() => _faults.Add((fault, Now)));

    /// <summary>A client's link came up or went down.</summary>
    public void Link(FaultTarget client, bool up) => Add(() =>
    {
        if (up)
        {
            _linkUps[Slot(client)].Add(Now);
        }
        else
        {
            _linkDowns[Slot(client)]++;
        }
    });

    /// <summary>A client made progress (publisher: a PUBACK reached the application; subscriber: a message did).</summary>
    public void Progress(FaultTarget client) => Add(() => _progress[Slot(client)].Add(Now));

    /// <summary>Time since the client last made progress (since the start when it never did).</summary>
    public TimeSpan SinceProgress(FaultTarget client)
    {
        lock (_gate)
        {
            var list = _progress[Slot(client)];
            return Now - (list.Count == 0 ? TimeSpan.Zero : list[^1]);
        }
    }

    /// <summary>Times the client's link went down.</summary>
    public int LinkDowns(FaultTarget client)
    {
        lock (_gate)
        {
            return _linkDowns[Slot(client)];
        }
    }

    /// <summary>Recovery statistics per fault kind; a broker kill is measured on the publisher.</summary>
    public IReadOnlyList<RecoveryStats> Recoveries()
    {
        lock (_gate)
        {
            var byKind = new Dictionary<FaultKind, List<TimeSpan?>>();
            foreach (var (fault, at) in _faults)
            {
                int slot = Slot(fault.Target);
                // A standing fault is recovered from after it ends; an instant one from its injection.
                var from = at + fault.Duration;
                TimeSpan? recovered = null;
                var resumeAt = fault.BreaksLink ? First(_linkUps[slot], at) : from;
                if (resumeAt is { } resumed && First(_progress[slot], resumed > from ? resumed : from) is { } progressed)
                {
                    recovered = progressed - at;
                }

                if (!byKind.TryGetValue(fault.Kind, out var list))
                {
                    byKind[fault.Kind] = list = [];
                }

                list.Add(recovered);
            }

            return [.. byKind.OrderBy(p => p.Key).Select(p => RecoveryStats.From(p.Key, p.Value))];
        }
    }

    private static int Slot(FaultTarget client) => client == FaultTarget.Subscriber ? 1 : 0;

    private static TimeSpan? First(List<TimeSpan> sorted, TimeSpan notBefore)
    {
        int index = sorted.BinarySearch(notBefore);
        index = index < 0 ? ~index : index;
        return index < sorted.Count ? sorted[index] : null;
    }

    private void Add(Action change)
    {
        lock (_gate)
        {
            change();
        }
    }
}

/// <summary>How quickly a client was working again after faults of one kind.</summary>
/// <param name="Kind">The fault kind.</param>
/// <param name="Count">Faults of this kind injected.</param>
/// <param name="NotRecovered">Faults after which the client never made progress again before the run ended.</param>
/// <param name="MedianSeconds">Median time to recover, seconds.</param>
/// <param name="P95Seconds">95th percentile, seconds.</param>
/// <param name="MaxSeconds">Longest, seconds.</param>
public sealed record RecoveryStats(FaultKind Kind, int Count, int NotRecovered, double MedianSeconds, double P95Seconds, double MaxSeconds)
{
    /// <summary>Summarizes the recovery times of one kind (null: not recovered).</summary>
    public static RecoveryStats From(FaultKind kind, IReadOnlyList<TimeSpan?> times)
    {
        ArgumentNullException.ThrowIfNull(times);
        var done = times.Where(t => t is not null).Select(t => t!.Value.TotalSeconds).Order().ToArray();
        double At(double q) => done.Length == 0 ? double.NaN : done[Math.Min(done.Length - 1, (int)Math.Ceiling(q * done.Length) - 1)];
        return new RecoveryStats(kind, times.Count, times.Count - done.Length, At(0.5), At(0.95), done.Length == 0 ? double.NaN : done[^1]);
    }
}
