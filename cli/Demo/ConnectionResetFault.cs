namespace StateMachineMqtt.Cli.Demo;

/// <summary>Every connection gets a TCP RST, as when a router reboots or a NAT drops the flow loudly.</summary>
internal sealed class ConnectionResetFault : DemoFault
{
    /// <inheritdoc />
    public override string Name => "connection reset";

    /// <inheritdoc />
    public override string Description => "the proxy sends RST to both clients and to the broker (ECONNRESET)";

    /// <inheritdoc />
    public override Task InjectAsync(DemoContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Proxy.ResetAll();
        return Task.CompletedTask;
    }
}
