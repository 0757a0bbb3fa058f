namespace StateMachineMqtt.TestKit.Soak;

/// <summary>A closed range of values.</summary>
/// <param name="Minimum">Smallest value.</param>
/// <param name="Maximum">Largest value.</param>
public readonly record struct Range<T>(T Minimum, T Maximum);

/// <summary>What a soak run does: how many messages, how fast, which faults how often, and the clients' timings.</summary>
public sealed record SoakOptions
{
    /// <summary>Seeds the fault schedule; a failing run prints it.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Messages to publish; the run ends after them, or after <see cref="Duration"/>, whichever comes first.</summary>
    public int Messages { get; init; } = 2000;

    /// <summary>Longest publishing phase; null means until <see cref="Messages"/> are published.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Publishing pace; the faults need time to land between messages.</summary>
    public int MessagesPerSecond { get; init; } = 500;

    /// <summary>Topics the messages are spread over (order is checked per topic).</summary>
    public int Topics { get; init; } = 2;

    /// <summary>Pause between faults.</summary>
    public Range<TimeSpan> FaultInterval { get; init; } = new(TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(500));

    /// <summary>How long latency and refusals last.</summary>
    public Range<TimeSpan> StandingFault { get; init; } = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(1000));

    /// <summary>How long the broker stays dead after a kill.</summary>
    public Range<TimeSpan> BrokerDowntime { get; init; } = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(1000));

    /// <summary>Proxy faults between two broker kills.</summary>
    public Range<int> ProxyFaultsBetweenKills { get; init; } = new(8, 16);

    /// <summary>No fault before this: the broker's first autosave must hold the subscriber's session before it can be killed.</summary>
    public TimeSpan QuietStart { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Keepalive of both clients; short so half-open links are found quickly.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the clients wait for CONNACK / PUBACK / SUBACK.</summary>
    public TimeSpan ResponseTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait, after publishing stops and the network heals, for every acknowledgement and delivery.</summary>
    public TimeSpan DrainLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest any one client start (connect + subscribe) may take.</summary>
    public TimeSpan StartLimit { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Throws ArgumentException naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (Messages < 1 || MessagesPerSecond < 1 || Topics < 1)
        {
            throw new ArgumentException("Messages, MessagesPerSecond and Topics must each be at least 1.");
        }

        if (FaultInterval.Minimum <= TimeSpan.Zero || FaultInterval.Maximum < FaultInterval.Minimum
            || StandingFault.Maximum < StandingFault.Minimum || BrokerDowntime.Maximum < BrokerDowntime.Minimum)
        {
            throw new ArgumentException("Each range needs 0 < minimum <= maximum (FaultInterval, StandingFault, BrokerDowntime).");
        }

        if (ProxyFaultsBetweenKills.Minimum < 0 || ProxyFaultsBetweenKills.Maximum < ProxyFaultsBetweenKills.Minimum)
        {
            throw new ArgumentException("ProxyFaultsBetweenKills needs 0 <= minimum <= maximum.");
        }
    }
}
