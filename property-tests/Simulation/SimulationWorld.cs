using System.IO.Pipelines;
using StateMachineMqtt.PropertyTests.Simulation.Broker;
using StateMachineMqtt.PropertyTests.Simulation.Network;
using StateMachineMqtt.PropertyTests.Simulation.Scheduling;
using StateMachineMqtt.PropertyTests.Simulation.Time;

namespace StateMachineMqtt.PropertyTests.Simulation;

/// <summary>
/// One deterministic simulation: a seed and its Random, virtual time, a single-threaded scheduler, a simulated network
/// and a simulated broker, wired together. Everything runs on the test's thread inside <see cref="RunUntil"/> and
/// friends; the same seed and the same steps give the same run.
/// </summary>
internal sealed class SimulationWorld : IAsyncDisposable
{
    private bool _disposed;

    /// <summary>
    /// Creates a world for <paramref name="seed"/>. By default pipe continuations are queued on the scheduler, so client
    /// and broker are separate FIFO steps; <see cref="PipeMode.Inline"/> runs a reader inside the writer's flush instead.
    /// </summary>
    public SimulationWorld(int seed, PipeMode pipeMode = PipeMode.Queued)
    {
        Seed = seed;
        Random = new Random(seed);
        Time = new VirtualTimeProvider();
        Scheduler = new DeterministicScheduler();
        Log = new SimulationLog(() => Time.Elapsed);
        PipeScheduler pipeScheduler = pipeMode == PipeMode.Inline ? PipeScheduler.Inline : new SchedulerPipeScheduler(Scheduler);
        Network = new SimulatedNetwork(Time, Log, pipeScheduler);
        Broker = new SimulatedBroker(Scheduler, Time, Log);
        Network.Attach(Broker, Broker.ClientPacketObserver);
        Log.Add("world", $"seed {seed}");
    }

    /// <summary>The seed; print it with every failure so the run can be replayed.</summary>
    public int Seed { get; }

    /// <summary>The only source of randomness a simulation should use.</summary>
    public Random Random { get; }

    /// <summary>Virtual time.</summary>
    public VirtualTimeProvider Time { get; }

    /// <summary>The scheduler every simulated actor runs on.</summary>
    public DeterministicScheduler Scheduler { get; }

    /// <summary>The in-memory network.</summary>
    public SimulatedNetwork Network { get; }

    /// <summary>The in-memory broker.</summary>
    public SimulatedBroker Broker { get; }

    /// <summary>Timestamped events from the network, the broker and the test.</summary>
    public SimulationLog Log { get; }

    /// <summary>Task budget for one scheduler pump before a runaway loop is reported.</summary>
    public int MaxStepsPerPump { get; set; } = DeterministicScheduler.DefaultMaxSteps;

    /// <summary>
    /// Starts <paramref name="action"/> on the scheduler; it runs when the world is pumped, and so do its continuations.
    /// The action is awaited inside an async wrapper so the returned task completes on the scheduler even when the action
    /// returns a task whose continuations run asynchronously (Task.Delay's do; a bare Unwrap would finish on the thread pool).
    /// </summary>
    public Task Start(Func<Task> action) =>
        Task.Factory.StartNew(async () => await action(), CancellationToken.None, TaskCreationOptions.DenyChildAttach, Scheduler).Unwrap();

    /// <summary>Starts <paramref name="action"/> on the scheduler and returns its result's task.</summary>
    public Task<T> Start<T>(Func<Task<T>> action) =>
        Task.Factory.StartNew(async () => await action(), CancellationToken.None, TaskCreationOptions.DenyChildAttach, Scheduler).Unwrap();

    /// <summary>How many timers may fire at one virtual instant before RunUntil calls it a livelock.</summary>
    public int MaxTimersPerInstant { get; set; } = 10_000;

    /// <summary>Runs every queued task until the scheduler is idle, without moving time.</summary>
    public void RunUntilIdle() => Scheduler.RunUntilIdle(MaxStepsPerPump);

    /// <summary>
    /// Pumps the scheduler until <paramref name="condition"/> holds; whenever idle, advances virtual time to the next timer,
    /// but never past <paramref name="maxVirtualTime"/> from now. Returns false when the time ran out first.
    /// </summary>
    public bool RunUntil(Func<bool> condition, TimeSpan maxVirtualTime)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ObjectDisposedException.ThrowIf(_disposed, this);
        TimeSpan deadline = Time.Elapsed + maxVirtualTime;
        TimeSpan stuckAt = Time.Elapsed;
        int stepsWithoutTimePassing = 0;
        while (true)
        {
            RunUntilIdle();
            if (condition())
            {
                return true;
            }

            TimeSpan left = deadline - Time.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            // Timers fire inside a scheduler step, so callbacks (a CancellationTokenSource cancelling, a Task.Delay
            // completing) and the code they resume run on the scheduler, at the timer's due time.
            TimeSpan? next = Time.NextDue;
            TimeSpan step = next is { } due && due < left ? due : left;
            // Timers that keep re-arming at the same instant would stop virtual time for ever: a livelock, reported as such.
            stepsWithoutTimePassing = Time.Elapsed == stuckAt ? stepsWithoutTimePassing + 1 : 0;
            stuckAt = Time.Elapsed;
            if (stepsWithoutTimePassing > MaxTimersPerInstant)
            {
                throw new SchedulerRunawayException($"Virtual time is stuck at {Time.Elapsed.TotalSeconds:0.###} s: more than {MaxTimersPerInstant} timers fired at that instant without time passing (a timer re-arming itself with no delay). Seed {Seed}.{Environment.NewLine}{Log.Tail(20)}");
            }

            Scheduler.RunOnScheduler(() => Time.Advance(step), MaxStepsPerPump);
        }
    }

    /// <summary>Advances virtual time by <paramref name="delta"/> as one scheduler step (timers fire on the scheduler), then pumps until idle. Prefer RunUntil/RunFor, which stop at each timer.</summary>
    public void Advance(TimeSpan delta) => Scheduler.RunOnScheduler(() => Time.Advance(delta), MaxStepsPerPump);

    /// <summary>Lets the world run for <paramref name="duration"/> of virtual time.</summary>
    public void RunFor(TimeSpan duration) => RunUntil(static () => false, duration);

    /// <summary>Runs the world until <paramref name="task"/> completes and returns its result; throws TimeoutException naming the virtual time waited.</summary>
    public T Await<T>(Task<T> task, TimeSpan maxVirtualTime)
    {
        ArgumentNullException.ThrowIfNull(task);
        Await((Task)task, maxVirtualTime);
        return task.GetAwaiter().GetResult();
    }

    /// <summary>Runs the world until <paramref name="task"/> completes (rethrowing its exception); throws TimeoutException naming the virtual time waited.</summary>
    public void Await(Task task, TimeSpan maxVirtualTime)
    {
        ArgumentNullException.ThrowIfNull(task);
        TimeSpan started = Time.Elapsed;
        if (!RunUntil(() => task.IsCompleted, maxVirtualTime))
        {
            throw new TimeoutException(
                $"The task did not complete within {maxVirtualTime.TotalSeconds:0.###} s of virtual time " +
                $"(from {started.TotalSeconds:0.###} s to {Time.Elapsed.TotalSeconds:0.###} s; seed {Seed}). " +
                "If the scheduler was idle with no timer left, the awaited code may have continued on the thread pool (ConfigureAwait(false) or Task.Run), outside the simulation. " +
                $"Last events:{Environment.NewLine}{Log.Tail(30)}");
        }

        task.GetAwaiter().GetResult();
    }

    /// <summary>A failure-message suffix: the seed and the last events.</summary>
    public string Describe(int lastEvents = 50) => $"seed {Seed}, virtual time {Time.Elapsed.TotalSeconds:0.###} s{Environment.NewLine}{Log.Tail(lastEvents)}";

    /// <summary>Resets every live link and lets the actors observe it, so nothing is left pending.</summary>
    public ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return ValueTask.CompletedTask;
        }

        _disposed = true;
        Network.ResetAllLinks();
        Scheduler.RunUntilIdle(MaxStepsPerPump);
        return ValueTask.CompletedTask;
    }
}
