namespace StateMachineMqtt.Cli.Demo;

/// <summary>One fault the demo injects; each lives in its own file.</summary>
internal abstract class DemoFault
{
    /// <summary>Short name for the summary, e.g. "connection reset".</summary>
    public abstract string Name { get; }

    /// <summary>One sentence on what happens on the wire.</summary>
    public abstract string Description { get; }

    /// <summary>True when the fault needs the in-process broker (skipped with --broker).</summary>
    public virtual bool NeedsOwnBroker => false;

    /// <summary>Injects the fault; returns once it is in place (the runner then waits for recovery).</summary>
    public abstract Task InjectAsync(DemoContext context, CancellationToken cancellationToken);

    /// <summary>The demo's faults, in order.</summary>
    public static IReadOnlyList<DemoFault> All { get; } =
        [new ConnectionResetFault(), new HalfOpenLinkFault(), new BrokerRestartFault(), new PubAckCutFault()];
}
