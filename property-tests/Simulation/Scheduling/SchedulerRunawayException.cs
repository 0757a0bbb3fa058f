namespace StateMachineMqtt.PropertyTests.Simulation.Scheduling;

/// <summary>Thrown when a <see cref="DeterministicScheduler"/> never goes idle within its step budget: a busy loop that re-queues itself.</summary>
public sealed class SchedulerRunawayException : Exception
{
    /// <summary>Creates the exception for a pump that ran <paramref name="maxSteps"/> tasks and still had <paramref name="stillQueued"/> queued.</summary>
    public SchedulerRunawayException(int maxSteps, int stillQueued, Task nextTask)
        : base($"The deterministic scheduler ran {maxSteps} tasks and still had {stillQueued} queued (next: task {nextTask?.Id}). " +
               "Some code re-queues work forever without awaiting virtual time or I/O: look for a retry loop without a delay, or raise maxSteps if the workload is really that large.")
    {
        MaxSteps = maxSteps;
        StillQueued = stillQueued;
    }

    /// <summary>Creates the exception with a message.</summary>
    public SchedulerRunawayException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public SchedulerRunawayException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SchedulerRunawayException()
    {
    }

    /// <summary>The step budget that was exhausted.</summary>
    public int MaxSteps { get; }

    /// <summary>Tasks still queued when the budget ran out.</summary>
    public int StillQueued { get; }
}
