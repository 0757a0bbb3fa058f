namespace StateMachineMqtt.Cli.Demo;

/// <summary>The publisher's connection gets a TCP RST, as when a router reboots or a NAT drops the flow loudly.</summary>
internal sealed class ConnectionResetFault : DemoFault
{
    /// <inheritdoc />
    public override string Name => "connection reset";

    /// <inheritdoc />
    public override string Description => "the proxy aborts the publisher's connection with RST both ways (ECONNRESET at each end)";

    /// <inheritdoc />
    public override Task InjectAsync(DemoContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Proxy.ResetAll();
        return Task.CompletedTask;
    }
}
