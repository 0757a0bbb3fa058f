namespace StateMachineMqtt.Cli.Demo;

/// <summary>The broker stops (connections close, new ones are refused) and starts again on the same port with its sessions.</summary>
internal sealed class BrokerRestartFault : DemoFault
{
    /// <inheritdoc />
    public override string Name => "broker restart";

    /// <inheritdoc />
    public override string Description => "the broker stops, refuses connections for a while, and starts again (sessions kept)";

    /// <inheritdoc />
    public override bool NeedsOwnBroker => true;

    /// <inheritdoc />
    public override async Task InjectAsync(DemoContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var broker = context.Broker ?? throw new InvalidOperationException("The broker restart needs the demo's own broker.");
        context.Report($"broker stopping for {context.Options.BrokerDowntime.TotalSeconds:0.#} s");
        await broker.RestartAsync(context.Options.BrokerDowntime, context.Time, cancellationToken).ConfigureAwait(false);
        context.Report("broker started again");
    }
}
