using StateMachineMqtt.Cli.Demo;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Cli;

public sealed class DemoLedgerTests
{
    [Fact]
    public void Counts_lost_duplicates_reordered_and_pending()
    {
        var ledger = new MessageLedger();
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(i, ledger.NextSequence());
        }

        ledger.Acknowledged(0);
        ledger.Acknowledged(1);
        ledger.Acknowledged(2);
        ledger.Failed(3, new IOException("gone"));
        ledger.Received(0);
        ledger.Received(2);
        ledger.Received(2); // duplicate
        ledger.Received(1); // after 2: reordered

        var s = ledger.Snapshot();
        Assert.Equal((5, 3, 3, 1, 1, 0), (s.Published, s.Acknowledged, s.Received, s.Duplicates, s.Reordered, s.Lost));
        Assert.Equal(1, s.Pending); // #4: neither acknowledged nor failed
        Assert.Single(s.Failures);

        ledger.Acknowledged(4);
        Assert.Equal(1, ledger.Snapshot().Lost); // acknowledged, never received
    }

    [Fact]
    public void Summary_fails_on_loss_pending_failures_or_an_unrecovered_fault()
    {
        var clean = new LedgerSnapshot(10, 10, 10, 1, 0, 0, []);
        var recovered = new FaultOutcome("reset", TimeSpan.FromSeconds(0.1), TimeSpan.FromSeconds(0.3));
        var good = new DemoSummary(clean, 1, 0, [recovered], TimeSpan.FromSeconds(5));
        Assert.True(good.Passed);
        Assert.Equal(0, good.ExitCode);
        Assert.Contains("lost           0", good.Format(), StringComparison.Ordinal);
        Assert.Contains("PASS", good.Format(), StringComparison.Ordinal);

        Assert.Equal(1, (good with { Ledger = clean with { Lost = 1 } }).ExitCode);
        Assert.Equal(1, (good with { Ledger = clean with { Acknowledged = 9 } }).ExitCode); // one pending
        Assert.Equal(1, (good with { Ledger = clean with { Acknowledged = 9, Failures = ["#9: boom"] } }).ExitCode);
        var unrecovered = good with { Faults = [recovered with { Recovered = null }] };
        Assert.Equal(1, unrecovered.ExitCode);
        Assert.Contains("NOT RECOVERED", unrecovered.Format(), StringComparison.Ordinal);
        Assert.Contains("FAIL", unrecovered.Format(), StringComparison.Ordinal);
    }
}
