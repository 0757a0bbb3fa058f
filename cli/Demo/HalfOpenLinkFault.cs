namespace StateMachineMqtt.Cli.Demo;

/// <summary>The links go silent with the sockets still open: only keepalive can tell (I5).</summary>
internal sealed class HalfOpenLinkFault : DemoFault
{
    /// <inheritdoc />
    public override string Name => "half-open link";

    /// <inheritdoc />
    public override string Description => "the proxy stops forwarding but keeps both sockets open; no error reaches either end";

    /// <inheritdoc />
    public override Task InjectAsync(DemoContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Proxy.Blackhole(); // current connections only: the reconnect gets a healthy link
        context.Report($"link silent; expect detection within the keepalive ({context.Options.KeepAlive.TotalSeconds:0} s)");
        return Task.CompletedTask;
    }
}
