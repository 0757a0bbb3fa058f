namespace StateMachineMqtt.TestKit.Soak;

/// <summary>
/// An endless, seeded sequence of faults: the same seed gives the same faults in the same order with the same pauses, so
/// two clients can be put through the same schedule. A broker kill comes after every few proxy faults (at a random point
/// within <see cref="SoakOptions.ProxyFaultsBetweenKills"/>), so each run has restarts however short.
/// </summary>
public sealed class FaultSchedule
{
    private static readonly FaultKind[] ProxyKinds =
        [FaultKind.Reset, FaultKind.Close, FaultKind.HalfOpen, FaultKind.Latency, FaultKind.Throttle, FaultKind.CutBeforePubAck, FaultKind.Refuse];

    private readonly Random _random;
    private readonly SoakOptions _options;
    private int _index;
    private int _untilKill;

    /// <summary>Starts the sequence for <paramref name="options"/>' seed.</summary>
    public FaultSchedule(SoakOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _random = new Random(options.Seed);
        _untilKill = NextKillGap();
    }

    /// <summary>The next fault.</summary>
    public ScheduledFault Next()
    {
        var wait = Between(_options.FaultInterval.Minimum, _options.FaultInterval.Maximum);
        int index = _index++;
        if (_untilKill-- == 0)
        {
            _untilKill = NextKillGap();
            return new ScheduledFault(index, wait, FaultKind.BrokerKill, FaultTarget.Broker, Between(_options.BrokerDowntime.Minimum, _options.BrokerDowntime.Maximum));
        }

        var kind = ProxyKinds[_random.Next(ProxyKinds.Length)];
        // A cut needs a PUBLISH from the client, so it only makes sense on the publisher's link.
        var target = kind == FaultKind.CutBeforePubAck || _random.Next(2) == 0 ? FaultTarget.Publisher : FaultTarget.Subscriber;
        var duration = kind is FaultKind.Latency or FaultKind.Throttle or FaultKind.Refuse
            ? Between(_options.StandingFault.Minimum, _options.StandingFault.Maximum)
            : TimeSpan.Zero;
        return new ScheduledFault(index, wait, kind, target, duration);
    }

    /// <summary>The first <paramref name="count"/> faults of a fresh sequence for <paramref name="options"/>.</summary>
    public static IReadOnlyList<ScheduledFault> Take(SoakOptions options, int count)
    {
        var schedule = new FaultSchedule(options);
        return [.. Enumerable.Range(0, count).Select(_ => schedule.Next())];
    }

    private int NextKillGap() => _random.Next(_options.ProxyFaultsBetweenKills.Minimum, _options.ProxyFaultsBetweenKills.Maximum + 1);

    private TimeSpan Between(TimeSpan minimum, TimeSpan maximum) =>
        minimum + TimeSpan.FromTicks((long)(_random.NextDouble() * (maximum - minimum).Ticks));
}
