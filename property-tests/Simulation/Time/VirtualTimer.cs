namespace StateMachineMqtt.PropertyTests.Simulation.Time;

/// <summary>A timer of a <see cref="VirtualTimeProvider"/>: it fires only when virtual time is advanced past its due time.</summary>
internal sealed class VirtualTimer : ITimer
{
    private readonly VirtualTimeProvider _owner;
    private readonly TimerCallback _callback;
    private readonly object? _state;
    private bool _disposed;

    internal VirtualTimer(VirtualTimeProvider owner, long id, TimerCallback callback, object? state)
    {
        _owner = owner;
        Id = id;
        _callback = callback;
        _state = state;
    }

    /// <summary>Creation order; breaks ties between timers due at the same instant.</summary>
    internal long Id { get; }

    /// <summary>Virtual elapsed time at which the timer fires next.</summary>
    internal TimeSpan DueAt { get; set; }

    /// <summary>Repeat interval; infinite or zero for a one-shot timer.</summary>
    internal TimeSpan Period { get; private set; } = Timeout.InfiniteTimeSpan;

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        ValidateInterval(dueTime, nameof(dueTime));
        ValidateInterval(period, nameof(period));
        if (_disposed)
        {
            return false;
        }

        Period = period;
        _owner.Schedule(this, dueTime);
        return true;
    }

    public void Dispose()
    {
        _disposed = true;
        _owner.Unschedule(this);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    internal void Fire()
    {
        if (!_disposed)
        {
            _callback(_state);
        }
    }

    private static void ValidateInterval(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(name, value, "A timer interval must be non-negative or Timeout.InfiniteTimeSpan.");
        }
    }
}
