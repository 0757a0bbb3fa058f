namespace StateMachineMqtt.Cli.Demo;

/// <summary>
/// The broker gets a PUBLISH but its PUBACK never reaches the publisher: the link is reset in between. The publisher must
/// re-send with DUP after reconnecting (I1, I4); the subscriber may then see one duplicate (QoS 1 is at least once).
/// </summary>
internal sealed class PubAckCutFault : DemoFault
{
    /// <inheritdoc />
    public override string Name => "PUBACK cut";

    /// <inheritdoc />
    public override string Description => "the next PUBLISH reaches the broker, then the link is reset before its PUBACK gets back";

    /// <inheritdoc />
    public override async Task InjectAsync(DemoContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ushort packetIdentifier = await context.Proxy.CutNextPublish().WaitAsync(context.Options.RecoveryLimit, context.Time, cancellationToken).ConfigureAwait(false);
        context.Report($"cut after PUBLISH packet id {packetIdentifier}: the broker has it, its PUBACK was swallowed");
    }
}
