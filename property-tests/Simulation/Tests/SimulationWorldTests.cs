using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.PropertyTests.Simulation.Scheduling;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Simulation.Tests;

public sealed class SimulationWorldTests
{
    [Fact]
    public void RunUntil_jumps_from_timer_to_timer_and_stops_as_soon_as_the_condition_holds()
    {
        var world = new SimulationWorld(seed: 5);
        var wakeUps = new List<TimeSpan>();
        _ = world.Start(async () =>
        {
            for (int i = 0; i < 3; i++)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), world.Time);
                wakeUps.Add(world.Time.Elapsed);
            }
        });

        bool reached = world.RunUntil(() => wakeUps.Count == 2, TimeSpan.FromMinutes(5));

        Assert.True(reached);
        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)], wakeUps);
        Assert.Equal(TimeSpan.FromSeconds(20), world.Time.Elapsed);
    }

    [Fact]
    public void RunUntil_gives_up_at_the_limit_with_time_exactly_there()
    {
        var world = new SimulationWorld(seed: 5);
        _ = world.Start(() => Task.Delay(TimeSpan.FromHours(1), world.Time));

        bool reached = world.RunUntil(() => false, TimeSpan.FromSeconds(90));

        Assert.False(reached);
        Assert.Equal(TimeSpan.FromSeconds(90), world.Time.Elapsed);
    }

    [Fact]
    public void Timer_callbacks_and_cancellation_continuations_run_on_the_scheduler()
    {
        var world = new SimulationWorld(seed: 5);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3), world.Time);
        (bool Pumping, TaskScheduler? Current) seen = default;
        cts.Token.Register(() => seen = (world.Scheduler.IsPumpingOnCurrentThread, TaskScheduler.Current));
        Task waiting = world.Start(() => Task.Delay(Timeout.InfiniteTimeSpan, world.Time, cts.Token));

        world.RunFor(TimeSpan.FromSeconds(3));

        Assert.True(waiting.IsCanceled, $"{waiting.Status} {seen} {world.Time.Elapsed} {cts.IsCancellationRequested}");
        Assert.Equal((true, (TaskScheduler?)world.Scheduler), seen);
    }

    [Fact]
    public void Await_returns_the_result_or_names_the_virtual_time_waited()
    {
        var world = new SimulationWorld(seed: 77);
        Task<int> quick = world.Start(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1), world.Time);
            return 7;
        });
        Task<int> never = world.Start(() => new TaskCompletionSource<int>().Task);

        int result = world.Await(quick, TimeSpan.FromSeconds(2));
        var timeout = Assert.Throws<TimeoutException>(() => world.Await(never, TimeSpan.FromSeconds(30)));

        Assert.Equal(7, result);
        Assert.Contains("30 s of virtual time", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("seed 77", timeout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Await_rethrows_the_task_exception()
    {
        var world = new SimulationWorld(seed: 1);
        Task failing = world.Start(async () =>
        {
            await Task.Yield();
            throw new InvalidOperationException("boom");
        });

        var error = Assert.Throws<InvalidOperationException>(() => world.Await(failing, TimeSpan.FromSeconds(1)));

        Assert.Equal("boom", error.Message);
    }

    [Fact]
    public void Busy_loop_in_the_world_is_reported_not_hung()
    {
        var world = new SimulationWorld(seed: 1) { MaxStepsPerPump = 1_000 };
        _ = world.Start(async () =>
        {
            while (true)
            {
                await Task.Yield();
            }
        });

        Assert.Throws<SchedulerRunawayException>(() => world.RunFor(TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData(PipeMode.Queued)]
    [InlineData(PipeMode.Inline)]
    public void Broker_exchange_works_in_both_pipe_modes(PipeMode mode)
    {
        var world = new SimulationWorld(seed: 3, mode);
        (RawMqttPeer peer, ConnAckPacket ack) = RawMqttPeer.Connect(world, "dev");

        peer.Send(new PublishPacket("t", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce, false, false, 1));

        Assert.Equal(ConnectReturnCode.Accepted, ack.ReturnCode);
        Assert.Equal(1, peer.Expect<PubAckPacket>().PacketId);
        Assert.Empty(world.Broker.Violations);
        Assert.Empty(world.Broker.InternalErrors);
    }

    [Fact]
    public void Log_entries_carry_virtual_time()
    {
        var world = new SimulationWorld(seed: 9);
        world.RunFor(TimeSpan.FromMilliseconds(1500));

        world.Log.Add("test", "hello");

        SimulationEvent last = world.Log.Events[^1];
        Assert.Equal((TimeSpan.FromMilliseconds(1500), "test", "hello"), (last.At, last.Source, last.Message));
        Assert.Contains("seed 9", world.Log.ToString(), StringComparison.Ordinal);
    }
}
