namespace StateMachineMqtt.TestKit.Soak;

/// <summary>The outcome of one soak run of one client library.</summary>
/// <param name="Client">The library's name.</param>
/// <param name="ReconnectStrategy">How it kept its link.</param>
/// <param name="Seed">The fault schedule's seed.</param>
/// <param name="Elapsed">Wall time of the run, drain included.</param>
/// <param name="Delivery">What became of the messages.</param>
/// <param name="Faults">Faults injected, broker kills included.</param>
/// <param name="BrokerKills">Broker kills (SIGKILL, then restart).</param>
/// <param name="PublisherLinkDowns">Times the publisher's link went down.</param>
/// <param name="SubscriberLinkDowns">Times the subscriber's link went down.</param>
/// <param name="Recoveries">Time to recover per fault kind.</param>
/// <param name="PeakManagedMegabytes">Largest growth of the managed heap during the run over its size at the start (whole process), MB.</param>
/// <param name="Drained">True when every publish was acknowledged and every deliverable message delivered within the drain limit.</param>
/// <param name="Trace">For a failed run, its last events (faults, links up and down); empty otherwise.</param>
public sealed record SoakReport(
    string Client,
    string ReconnectStrategy,
    int Seed,
    TimeSpan Elapsed,
    DeliveryCounts Delivery,
    int Faults,
    int BrokerKills,
    int PublisherLinkDowns,
    int SubscriberLinkDowns,
    IReadOnlyList<RecoveryStats> Recoveries,
    double PeakManagedMegabytes,
    bool Drained,
    IReadOnlyList<string> Trace)
{
    /// <summary>True when the clients lost nothing and no call hung: the run's verdict (broker-side loss is reported, not held against the client).</summary>
    public bool Passed => Drained && Delivery.LostClientSide == 0 && Delivery.LostUnexplained == 0 && Delivery.UnacknowledgedToApplication == 0;
}
