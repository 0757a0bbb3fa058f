using StateMachineMqtt.PropertyTests.Simulation.Time;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Simulation.Tests;

public sealed class VirtualTimeProviderTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    [Fact]
    public void Clock_moves_only_when_advanced()
    {
        var time = new VirtualTimeProvider(new DateTimeOffset(2030, 5, 1, 0, 0, 0, TimeSpan.Zero));
        long t0 = time.GetTimestamp();

        time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(new DateTimeOffset(2030, 5, 1, 0, 0, 3, TimeSpan.Zero), time.GetUtcNow());
        Assert.Equal(TimeSpan.FromSeconds(3), time.GetElapsedTime(t0));
        Assert.Equal(TimeSpan.FromSeconds(3), time.Elapsed);
    }

    [Fact]
    public void Timers_fire_in_due_order_with_ties_in_creation_order_and_see_their_own_due_time()
    {
        var time = new VirtualTimeProvider();
        var fired = new List<(string Name, TimeSpan At)>();
        void Create(string name, int dueMs) =>
            time.CreateTimer(_ => fired.Add((name, time.Elapsed)), null, dueMs * Ms, Timeout.InfiniteTimeSpan);

        Create("c30", 30);
        Create("a10", 10);
        Create("b30", 30);
        Create("d20", 20);

        time.Advance(100 * Ms);

        Assert.Equal(["a10", "d20", "c30", "b30"], fired.Select(f => f.Name));
        Assert.Equal([10 * Ms, 20 * Ms, 30 * Ms, 30 * Ms], fired.Select(f => f.At));
        Assert.Equal(100 * Ms, time.Elapsed);
    }

    [Fact]
    public void Timer_not_yet_due_does_not_fire_and_NextDue_says_how_long_to_wait()
    {
        var time = new VirtualTimeProvider();
        int fired = 0;
        using ITimer timer = time.CreateTimer(_ => fired++, null, 50 * Ms, Timeout.InfiniteTimeSpan);

        time.Advance(49 * Ms);

        Assert.Equal(0, fired);
        Assert.Equal(1 * Ms, time.NextDue);
        Assert.True(time.AdvanceToNextTimer());
        Assert.Equal(1, fired);
        Assert.Null(time.NextDue);
        Assert.False(time.AdvanceToNextTimer());
    }

    [Fact]
    public void Periodic_timer_fires_once_per_period_passed()
    {
        var time = new VirtualTimeProvider();
        var at = new List<TimeSpan>();
        using ITimer timer = time.CreateTimer(_ => at.Add(time.Elapsed), null, 10 * Ms, 25 * Ms);

        time.Advance(70 * Ms);

        Assert.Equal([10 * Ms, 35 * Ms, 60 * Ms], at);
        Assert.Equal(15 * Ms, time.NextDue);
    }

    [Fact]
    public void Change_reschedules_and_Dispose_cancels()
    {
        var time = new VirtualTimeProvider();
        var fired = new List<string>();
        ITimer moved = time.CreateTimer(_ => fired.Add("moved"), null, 10 * Ms, Timeout.InfiniteTimeSpan);
        ITimer disposed = time.CreateTimer(_ => fired.Add("disposed"), null, 10 * Ms, Timeout.InfiniteTimeSpan);
        ITimer parked = time.CreateTimer(_ => fired.Add("parked"), null, 10 * Ms, Timeout.InfiniteTimeSpan);

        Assert.True(moved.Change(40 * Ms, Timeout.InfiniteTimeSpan));
        disposed.Dispose();
        Assert.True(parked.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        time.Advance(30 * Ms);
        Assert.Empty(fired);

        time.Advance(10 * Ms);
        Assert.Equal(["moved"], fired);
        Assert.False(disposed.Change(Ms, Timeout.InfiniteTimeSpan));
        Assert.Equal(0, time.ScheduledTimerCount);
    }

    [Fact]
    public void Callback_may_create_a_timer_that_falls_due_within_the_same_advance()
    {
        var time = new VirtualTimeProvider();
        var at = new List<TimeSpan>();
        time.CreateTimer(_ => time.CreateTimer(_ => at.Add(time.Elapsed), null, 5 * Ms, Timeout.InfiniteTimeSpan), null, 10 * Ms, Timeout.InfiniteTimeSpan);

        time.Advance(20 * Ms);

        Assert.Equal([15 * Ms], at);
    }

    [Fact]
    public void Timer_due_now_fires_on_a_zero_advance()
    {
        var time = new VirtualTimeProvider();
        int fired = 0;
        time.CreateTimer(_ => fired++, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);

        Assert.Equal(TimeSpan.Zero, time.NextDue);
        time.Advance(TimeSpan.Zero);

        Assert.Equal(1, fired);
    }

    [Fact]
    public void Negative_advance_and_reentrant_advance_are_refused_with_a_clear_message()
    {
        var time = new VirtualTimeProvider();
        Exception? inner = null;
        time.CreateTimer(_ => inner = Record.Exception(() => time.Advance(Ms)), null, Ms, Timeout.InfiniteTimeSpan);

        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => time.Advance(-Ms));
        time.Advance(Ms);

        Assert.Contains("backwards", negative.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(inner);
    }

    [Fact]
    public async Task Task_Delay_completes_only_when_virtual_time_reaches_it()
    {
        var time = new VirtualTimeProvider();
        Task delay = Task.Delay(TimeSpan.FromSeconds(5), time);

        time.Advance(TimeSpan.FromSeconds(4.999));
        Assert.False(delay.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(delay.IsCompletedSuccessfully);
        await delay;
    }

    [Fact]
    public void CancellationTokenSource_with_the_provider_cancels_at_the_virtual_deadline()
    {
        var time = new VirtualTimeProvider();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cts.IsCancellationRequested);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(cts.IsCancellationRequested);
    }

    [Fact]
    public void WaitAsync_with_the_provider_times_out_in_virtual_time()
    {
        var time = new VirtualTimeProvider();
        var never = new TaskCompletionSource();
        Task waiting = never.Task.WaitAsync(TimeSpan.FromSeconds(1), time);

        time.Advance(TimeSpan.FromSeconds(1));

        Assert.IsType<TimeoutException>(waiting.Exception?.InnerException);
    }
}
