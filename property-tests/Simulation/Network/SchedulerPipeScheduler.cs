using System.IO.Pipelines;

namespace StateMachineMqtt.PropertyTests.Simulation.Network;

/// <summary>
/// A <see cref="PipeScheduler"/> that queues pipe continuations on a <see cref="TaskScheduler"/> (the simulation's
/// deterministic one). Unlike PipeScheduler.Inline it never runs the reader's code inside the writer's FlushAsync, so the
/// client and the broker stay separate steps of the FIFO queue and neither can re-enter the other.
/// </summary>
public sealed class SchedulerPipeScheduler : PipeScheduler
{
    private readonly TaskScheduler _scheduler;

    /// <summary>Creates a pipe scheduler that queues onto <paramref name="scheduler"/>.</summary>
    public SchedulerPipeScheduler(TaskScheduler scheduler)
    {
        _scheduler = scheduler;
    }

    /// <inheritdoc />
    public override void Schedule(Action<object?> action, object? state)
    {
        _ = Task.Factory.StartNew(action, state, CancellationToken.None, TaskCreationOptions.DenyChildAttach, _scheduler);
    }
}
