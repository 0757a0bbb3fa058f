namespace StateMachineMqtt.PropertyTests.Simulation.Time;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock moves only when told to. Timers are kept in a due-time queue and fire
/// synchronously on the thread that calls <see cref="Advance"/>, in due order (ties: the order the timers were created),
/// so Task.Delay(TimeSpan, TimeProvider) and CancellationTokenSource(TimeSpan, TimeProvider) become deterministic.
/// </summary>
public sealed class VirtualTimeProvider : TimeProvider
{
    private readonly object _gate = new();
    private readonly DateTimeOffset _start;
    private readonly List<VirtualTimer> _scheduled = [];
    private TimeSpan _elapsed;
    private long _nextTimerId;
    private bool _advancing;

    /// <summary>Creates a clock that starts at <paramref name="start"/> (default 2026-01-01T00:00:00Z).</summary>
    public VirtualTimeProvider(DateTimeOffset? start = null)
    {
        _start = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    }

    /// <summary>Virtual time passed since the clock was created.</summary>
    public TimeSpan Elapsed
    {
        get
        {
            lock (_gate)
            {
                return _elapsed;
            }
        }
    }

    /// <summary>How long from now until the earliest scheduled timer is due (zero when one is due already); null when none is scheduled.</summary>
    public TimeSpan? NextDue
    {
        get
        {
            lock (_gate)
            {
                VirtualTimer? next = EarliestLocked();
                return next is null ? null : next.DueAt - _elapsed;
            }
        }
    }

    /// <summary>Number of timers currently scheduled (created, not disposed, with a finite due time).</summary>
    public int ScheduledTimerCount
    {
        get
        {
            lock (_gate)
            {
                return _scheduled.Count;
            }
        }
    }

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _start + Elapsed;

    /// <inheritdoc />
    public override long GetTimestamp() => Elapsed.Ticks;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new VirtualTimer(this, Interlocked.Increment(ref _nextTimerId), callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>
    /// Moves the clock forward by <paramref name="delta"/>, firing every timer that falls due on the way, each with the
    /// clock set to its due time. Periodic timers fire once per period passed. Callbacks run on the calling thread.
    /// </summary>
    public void Advance(TimeSpan delta)
    {
        if (delta < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Virtual time cannot go backwards; pass a non-negative TimeSpan.");
        }

        lock (_gate)
        {
            if (_advancing)
            {
                throw new InvalidOperationException("Advance was called from inside a timer callback; advance the clock from the driving loop only.");
            }

            _advancing = true;
        }

        try
        {
            TimeSpan target;
            lock (_gate)
            {
                target = _elapsed + delta;
            }

            while (TryTakeDue(target, out VirtualTimer? timer))
            {
                timer.Fire();
            }

            lock (_gate)
            {
                _elapsed = target;
            }
        }
        finally
        {
            lock (_gate)
            {
                _advancing = false;
            }
        }
    }

    /// <summary>Advances exactly to the earliest scheduled timer and fires it (and any due at the same instant). False when no timer is scheduled.</summary>
    public bool AdvanceToNextTimer()
    {
        TimeSpan? next = NextDue;
        if (next is null)
        {
            return false;
        }

        Advance(next.Value);
        return true;
    }

    internal void Schedule(VirtualTimer timer, TimeSpan dueTime)
    {
        lock (_gate)
        {
            _scheduled.Remove(timer);
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                timer.DueAt = _elapsed + dueTime;
                _scheduled.Add(timer);
            }
        }
    }

    internal void Unschedule(VirtualTimer timer)
    {
        lock (_gate)
        {
            _scheduled.Remove(timer);
        }
    }

    private bool TryTakeDue(TimeSpan target, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out VirtualTimer? timer)
    {
        lock (_gate)
        {
            timer = EarliestLocked();
            if (timer is null || timer.DueAt > target)
            {
                timer = null;
                return false;
            }

            _scheduled.Remove(timer);
            _elapsed = timer.DueAt;
            if (timer.Period != Timeout.InfiniteTimeSpan && timer.Period > TimeSpan.Zero)
            {
                // Rescheduled before the callback runs, as System.Threading.Timer does; the callback may still Change it.
                timer.DueAt += timer.Period;
                _scheduled.Add(timer);
            }

            return true;
        }
    }

    private VirtualTimer? EarliestLocked()
    {
        VirtualTimer? best = null;
        foreach (VirtualTimer candidate in _scheduled)
        {
            if (best is null || candidate.DueAt < best.DueAt || (candidate.DueAt == best.DueAt && candidate.Id < best.Id))
            {
                best = candidate;
            }
        }

        return best;
    }
}
