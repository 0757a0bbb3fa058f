using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;
using StateMachineMqtt.PropertyTests.Simulation.Scheduling;
using StateMachineMqtt.PropertyTests.Simulation.Time;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Simulation.Tests;

public sealed class DeterministicSchedulerTests
{
    [Fact]
    public void Queued_tasks_run_only_when_pumped_in_FIFO_order_on_the_calling_thread()
    {
        var scheduler = new DeterministicScheduler();
        var order = new List<int>();
        var threads = new HashSet<int>();
        for (int i = 0; i < 5; i++)
        {
            int n = i;
            _ = Task.Factory.StartNew(() => { order.Add(n); threads.Add(Environment.CurrentManagedThreadId); }, CancellationToken.None, TaskCreationOptions.None, scheduler);
        }

        Assert.Empty(order);
        Assert.Equal(5, scheduler.QueuedCount);

        int steps = scheduler.RunUntilIdle();

        Assert.Equal(5, steps);
        Assert.Equal([0, 1, 2, 3, 4], order);
        Assert.Equal([Environment.CurrentManagedThreadId], threads);
        Assert.Equal(1, scheduler.MaximumConcurrencyLevel);
    }

    [Fact]
    public void Runaway_loop_is_reported_with_the_budget_and_what_is_left()
    {
        var scheduler = new DeterministicScheduler();
        var world = new TaskFactory(scheduler);
        _ = world.StartNew(async () =>
        {
            while (true)
            {
                await Task.Yield();
            }
        }).Unwrap();

        var error = Assert.Throws<SchedulerRunawayException>(() => scheduler.RunUntilIdle(maxSteps: 50));

        Assert.Equal(50, error.MaxSteps);
        Assert.Equal(1, error.StillQueued);
        Assert.Contains("without awaiting virtual time or I/O", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_task_queued_from_another_thread_waits_for_the_pump()
    {
        var scheduler = new DeterministicScheduler();
        bool ran = false;

        Task queued = await Task.Run(() => Task.FromResult(Task.Factory.StartNew(() => ran = true, CancellationToken.None, TaskCreationOptions.None, scheduler)));

        Assert.False(ran);
        scheduler.RunUntilIdle();
        Assert.True(ran);
        Assert.True(queued.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Awaits_on_channel_tcs_pipe_and_virtual_delay_all_resume_on_the_scheduler()
    {
        var scheduler = new DeterministicScheduler();
        var factory = new TaskFactory(CancellationToken.None, TaskCreationOptions.DenyChildAttach, TaskContinuationOptions.None, scheduler);
        var time = new VirtualTimeProvider();
        var channel = Channel.CreateUnbounded<int>();
        var tcs = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pipe = new Pipe(new PipeOptions(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));
        var resumed = new List<(string What, bool OnScheduler, bool Pumping)>();
        void Note(string what) => resumed.Add((what, TaskScheduler.Current == scheduler, scheduler.IsPumpingOnCurrentThread));

        Task<(int, int, long)> flow = factory.StartNew(async () =>
        {
            Note("start");
            int fromChannel = await channel.Reader.ReadAsync();
            Note("channel");
            int fromTcs = await tcs.Task;
            Note("tcs");
            ReadResult read = await pipe.Reader.ReadAsync();
            Note("pipe");
            long length = read.Buffer.Length;
            pipe.Reader.AdvanceTo(read.Buffer.End);
            await Task.Delay(TimeSpan.FromSeconds(1), time);
            Note("delay");
            return (fromChannel, fromTcs, length);
        }).Unwrap();
        scheduler.RunUntilIdle();

        // The channel and the TCS are completed from thread-pool threads: their continuations must still come back.
        await Task.Run(() => channel.Writer.TryWrite(1));
        Assert.Single(resumed);
        scheduler.RunUntilIdle();
        await Task.Run(() => tcs.SetResult(2));
        scheduler.RunUntilIdle();

        // An inline pipe resumes its reader inside the writer's flush, so the writer runs on the scheduler (as in the simulation).
        _ = factory.StartNew(async () => await pipe.Writer.WriteAsync(new byte[] { 1, 2, 3 })).Unwrap();
        scheduler.RunUntilIdle();
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(4, resumed.Count);
        scheduler.RunUntilIdle();

        Assert.True(flow.IsCompletedSuccessfully, flow.Exception?.ToString());
        Assert.Equal((1, 2, 3L), await flow);
        Assert.Equal(["start", "channel", "tcs", "pipe", "delay"], resumed.Select(r => r.What));
        Assert.All(resumed, r => Assert.True(r.OnScheduler && r.Pumping, $"{r.What} resumed off the scheduler"));
    }

    [Fact]
    public async Task Pipe_with_a_scheduler_pipe_scheduler_resumes_on_the_scheduler_whoever_writes()
    {
        var scheduler = new DeterministicScheduler();
        var pipeScheduler = new Network.SchedulerPipeScheduler(scheduler);
        var pipe = new Pipe(new PipeOptions(readerScheduler: pipeScheduler, writerScheduler: pipeScheduler, useSynchronizationContext: false));
        bool resumedPumping = false;
        Task reader = Task.Factory.StartNew(
            async () =>
            {
                await pipe.Reader.ReadAsync();
                resumedPumping = scheduler.IsPumpingOnCurrentThread && TaskScheduler.Current == scheduler;
            },
            CancellationToken.None,
            TaskCreationOptions.DenyChildAttach,
            scheduler).Unwrap();
        scheduler.RunUntilIdle();

        await Task.Run(async () => await pipe.Writer.WriteAsync(new byte[] { 1 }));
        Assert.False(reader.IsCompleted);
        scheduler.RunUntilIdle();

        Assert.True(reader.IsCompletedSuccessfully);
        Assert.True(resumedPumping);
    }

    [Fact]
    public void Inline_pipe_resumes_the_reader_inside_the_writer_so_writers_must_run_on_the_scheduler_too()
    {
        var scheduler = new DeterministicScheduler();
        var pipe = new Pipe(new PipeOptions(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));
        var factory = new TaskFactory(CancellationToken.None, TaskCreationOptions.DenyChildAttach, TaskContinuationOptions.None, scheduler);
        TaskScheduler? seenAfterRead = null;
        TaskScheduler? seenAfterYield = null;
        Task reader = factory.StartNew(async () =>
        {
            await pipe.Reader.ReadAsync();
            seenAfterRead = TaskScheduler.Current;
            await Task.Yield();
            seenAfterYield = TaskScheduler.Current;
        }).Unwrap();
        scheduler.RunUntilIdle();

        _ = factory.StartNew(async () => await pipe.Writer.WriteAsync(new byte[] { 1 })).Unwrap();
        scheduler.RunUntilIdle();

        Assert.True(reader.IsCompletedSuccessfully);
        Assert.Same(scheduler, seenAfterRead);
        Assert.Same(scheduler, seenAfterYield);
    }
}
