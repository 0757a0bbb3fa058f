using Microsoft.Extensions.Time.Testing;

namespace StateMachineMqtt.PropertyTests.Hosting;

/// <summary>
/// A FakeTimeProvider that tells when a timer of a given due time is created, so a test advances the clock only once the
/// wait it means to end has begun (advancing earlier would let that wait start later and never end).
/// </summary>
internal sealed class TimerWatchingClock : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<(TimeSpan Due, TaskCompletionSource Created)> _watches = [];

    /// <summary>The fake clock itself, to advance.</summary>
    public FakeTimeProvider Fake { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Completes once a timer due <paramref name="due"/> from its creation has been created (call before it may be).</summary>
    public Task WhenTimerCreated(TimeSpan due)
    {
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _watches.Add((due, created));
        }

        return created.Task;
    }

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = Fake.CreateTimer(callback, state, dueTime, period);
        lock (_gate)
        {
            foreach ((TimeSpan due, TaskCompletionSource created) in _watches)
            {
                if (due == dueTime)
                {
                    created.TrySetResult();
                }
            }
        }

        return timer;
    }
}
