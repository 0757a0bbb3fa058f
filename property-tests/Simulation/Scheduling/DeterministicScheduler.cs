namespace StateMachineMqtt.PropertyTests.Simulation.Scheduling;

/// <summary>
/// A single-threaded FIFO <see cref="TaskScheduler"/>: queued tasks run only inside <see cref="RunUntilIdle"/>, on the
/// calling thread, one at a time, in the order they were queued. Async code started on it resumes on it after every
/// await that does not use ConfigureAwait(false), because the await captures <see cref="TaskScheduler.Current"/>.
/// </summary>
public sealed class DeterministicScheduler : TaskScheduler
{
    /// <summary>Default step budget for one <see cref="RunUntilIdle"/> call.</summary>
    public const int DefaultMaxSteps = 100_000;

    private readonly object _gate = new();
    private readonly LinkedList<Task> _queue = new();
    private Thread? _pumpingThread;

    /// <summary>Tasks run so far, over the scheduler's life.</summary>
    public long StepsRun { get; private set; }

    /// <summary>Number of tasks waiting to run.</summary>
    public int QueuedCount
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>True while the current thread is running a task of this scheduler.</summary>
    public bool IsPumpingOnCurrentThread => _pumpingThread == Thread.CurrentThread;

    /// <inheritdoc />
    public override int MaximumConcurrencyLevel => 1;

    /// <summary>
    /// Runs queued tasks on the calling thread until the queue is empty, and returns how many ran. Throws
    /// <see cref="SchedulerRunawayException"/> when the queue is still not empty after <paramref name="maxSteps"/> tasks:
    /// some code keeps re-queuing work without ever waiting on time or I/O.
    /// </summary>
    public int RunUntilIdle(int maxSteps = DefaultMaxSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSteps);
        if (_pumpingThread is not null)
        {
            throw new InvalidOperationException("RunUntilIdle was called re-entrantly (from a task of this scheduler, or from two threads). Pump only from the test's driving loop.");
        }

        // A test framework's SynchronizationContext (xunit has one) would win over TaskScheduler.Current when an await
        // captures its context, sending continuations off this scheduler; tasks run without one.
        SynchronizationContext? outerContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        _pumpingThread = Thread.CurrentThread;
        try
        {
            int steps = 0;
            while (TryDequeue(out Task? task))
            {
                if (steps == maxSteps)
                {
                    lock (_gate)
                    {
                        _queue.AddFirst(task);
                    }

                    throw new SchedulerRunawayException(maxSteps, QueuedCount, task);
                }

                steps++;
                StepsRun++;
                TryExecuteTask(task);
            }

            return steps;
        }
        finally
        {
            _pumpingThread = null;
            SynchronizationContext.SetSynchronizationContext(outerContext);
        }
    }

    /// <summary>
    /// Queues <paramref name="action"/> and pumps until idle, so the action (e.g. advancing virtual time, which fires
    /// timer callbacks) runs as a task of this scheduler and whatever it starts or resumes stays on it.
    /// </summary>
    public int RunOnScheduler(Action action, int maxSteps = DefaultMaxSteps)
    {
        Task step = Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this);
        int steps = RunUntilIdle(maxSteps);
        step.GetAwaiter().GetResult();
        return steps;
    }

    /// <inheritdoc />
    protected override void QueueTask(Task task)
    {
        lock (_gate)
        {
            _queue.AddLast(task);
        }
    }

    /// <inheritdoc />
    protected override bool TryDequeue(Task task)
    {
        lock (_gate)
        {
            return _queue.Remove(task);
        }
    }

    /// <summary>Inlines only on the pumping thread, where it is deterministic; any other thread must queue.</summary>
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued)
    {
        if (!IsPumpingOnCurrentThread)
        {
            return false;
        }

        if (taskWasPreviouslyQueued && !TryDequeue(task))
        {
            return false;
        }

        return TryExecuteTask(task);
    }

    /// <inheritdoc />
    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_gate)
        {
            return [.. _queue];
        }
    }

    private bool TryDequeue([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Task? task)
    {
        lock (_gate)
        {
            if (_queue.First is null)
            {
                task = null;
                return false;
            }

            task = _queue.First.Value;
            _queue.RemoveFirst();
            return true;
        }
    }
}
