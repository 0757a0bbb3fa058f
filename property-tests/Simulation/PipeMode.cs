namespace StateMachineMqtt.PropertyTests.Simulation;

/// <summary>How simulated links resume a reader when bytes arrive.</summary>
public enum PipeMode
{
    /// <summary>The reader's continuation is queued on the deterministic scheduler (default): sender and receiver are separate steps.</summary>
    Queued,

    /// <summary>PipeScheduler.Inline: the reader runs inside the writer's FlushAsync. Every writer must then run on the scheduler.</summary>
    Inline,
}
