using System.Globalization;
using System.Text;

namespace StateMachineMqtt.Cli.Demo;

/// <summary>The end of a demo run: counts, outages and recovery times, and the verdict.</summary>
/// <param name="Ledger">Final message counts.</param>
/// <param name="PublisherOutages">Times the publisher's link went down.</param>
/// <param name="SubscriberOutages">Times the subscriber's link went down.</param>
/// <param name="Faults">Per-fault detection and recovery.</param>
/// <param name="Duration">Wall time of the whole run.</param>
internal sealed record DemoSummary(LedgerSnapshot Ledger, int PublisherOutages, int SubscriberOutages, IReadOnlyList<FaultOutcome> Faults, TimeSpan Duration)
{
    /// <summary>True when nothing was lost, nothing is left unacknowledged, no publish failed and every fault was recovered from.</summary>
    public bool Passed => Ledger.Lost == 0 && Ledger.Pending == 0 && Ledger.Failures.Count == 0 && Faults.All(f => f.Recovered is not null);

    /// <summary>0 when <see cref="Passed"/>, else 1.</summary>
    public int ExitCode => Passed ? 0 : 1;

    /// <summary>The summary as printed.</summary>
    public string Format()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine().AppendLine("Summary");
        text.AppendLine(c, $"  published      {Ledger.Published}");
        text.AppendLine(c, $"  acknowledged   {Ledger.Acknowledged}{(Ledger.Pending > 0 ? $"  ({Ledger.Pending} still unacknowledged)" : "")}");
        text.AppendLine(c, $"  received       {Ledger.Received} distinct");
        text.AppendLine(c, $"  duplicates     {Ledger.Duplicates}{(Ledger.Duplicates > 0 ? "  (QoS 1 is at least once: re-sent with DUP after a lost PUBACK)" : "")}");
        text.AppendLine(c, $"  out of order   {Ledger.Reordered}");
        text.AppendLine(c, $"  outages        publisher {PublisherOutages}, subscriber {SubscriberOutages}");
        foreach (var fault in Faults)
        {
            string detected = fault.Detected is { } d ? $"link down after {d.TotalSeconds:0.0} s" : "link never went down";
            string recovered = fault.Recovered is { } r ? $"flowing again after {r.TotalSeconds:0.0} s" : "NOT RECOVERED";
            text.AppendLine(c, $"  {fault.Fault,-18} {detected}, {recovered}");
        }

        foreach (string failure in Ledger.Failures)
        {
            text.AppendLine(c, $"  publish failed {failure}");
        }

        text.AppendLine(c, $"  lost           {Ledger.Lost}");
        text.AppendLine(c, $"  wall time      {Duration.TotalSeconds:0.0} s");
        text.AppendLine(Passed
            ? "PASS: every acknowledged message arrived, and the client recovered from every fault by itself."
            : "FAIL: see the lines above.");
        return text.ToString();
    }
}
