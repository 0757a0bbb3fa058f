namespace StateMachineMqtt.Cli.Demo;

/// <summary>Timings and targets of the demo; the defaults keep a full run under a minute, tests shorten them.</summary>
internal sealed record DemoOptions
{
    /// <summary>External broker "host:port"; null starts an in-process MQTTnet broker (and enables the restart phase).</summary>
    public string? Broker { get; init; }

    /// <summary>Keepalive of both clients: short, so a silent half-open link is noticed quickly (I5).</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>How long the clients wait for CONNACK / PUBACK before acting.</summary>
    public TimeSpan ResponseTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>First reconnect delay (upper end of its jitter range).</summary>
    public TimeSpan BackoffInitial { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Largest reconnect delay.</summary>
    public TimeSpan BackoffMaximum { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Time between publishes.</summary>
    public TimeSpan PublishInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Quiet flow before the first fault and after each recovery.</summary>
    public TimeSpan SteadyPeriod { get; init; } = TimeSpan.FromSeconds(2.5);

    /// <summary>How long the broker stays down in the restart phase.</summary>
    public TimeSpan BrokerDowntime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait for recovery from one fault, and for the final drain.</summary>
    public TimeSpan RecoveryLimit { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Interval of the progress lines.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);
}
