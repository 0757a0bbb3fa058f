using StateMachineMqtt.Spec;
using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>The checker has teeth: a single wrong row in a copy of a table is caught, with a trace through the wrong row.</summary>
public sealed class SeededBugTests(ITestOutputHelper output)
{
    [Fact]
    public void A_lost_link_that_counts_a_sent_message_as_acknowledged_breaks_I1()
    {
        var tables = new ModelTables(publish: RowMutation.Publish(PublishState.AwaitingPubAck, PublishTrigger.LinkLost, PublishState.Acked, PublishEffect.None));
        AssertCaught(tables, "I1", "AwaitingPubAck --LinkLost--> Acked");
    }

    [Fact]
    public void A_resend_without_DUP_breaks_I4()
    {
        var tables = new ModelTables(publish: RowMutation.Publish(PublishState.Resend, PublishTrigger.Transmit, PublishState.AwaitingPubAck, PublishEffect.SendPublish));
        AssertCaught(tables, "I4", "Resend --Transmit--> AwaitingPubAck / SendPublish");
    }

    [Fact]
    public void Resuming_a_new_session_without_restoring_subscriptions_breaks_I8()
    {
        var tables = new ModelTables(RowMutation.Connection(ConnectionState.AwaitingConnAck, ConnectionTrigger.ConnAckNewSession, ConnectionState.Connected, ConnectionEffect.ResumeSession));
        AssertCaught(tables, "I8", "ConnAckNewSession--> Connected / ResumeSession");
    }

    [Fact]
    public void Treating_EWOULDBLOCK_before_CONNACK_as_connected_breaks_I3()
    {
        var tables = new ModelTables(RowMutation.Connection(ConnectionState.AwaitingConnAck, ConnectionTrigger.SocketPending, ConnectionState.Connected, ConnectionEffect.ResumeSession));
        AssertCaught(tables, "I3", "AwaitingConnAck --SocketPending--> Connected");
    }

    [Fact]
    public void A_backoff_that_never_retries_breaks_I6()
    {
        var tables = new ModelTables(RowMutation.Connection(ConnectionState.Backoff, ConnectionTrigger.BackoffElapsed, ConnectionState.Backoff, ConnectionEffect.None));
        AssertCaught(tables, "I6", "cycle");
    }

    [Fact]
    public void A_message_that_is_never_resent_after_a_reconnect_breaks_I6()
    {
        var tables = new ModelTables(publish: RowMutation.Publish(PublishState.Resend, PublishTrigger.Transmit, PublishState.Resend, PublishEffect.None));
        AssertCaught(tables, "I6", "cycle");
    }

    [Fact]
    public void A_timeout_that_gives_up_on_a_message_breaks_I1()
    {
        var tables = new ModelTables(publish: RowMutation.Publish(
            PublishState.AwaitingPubAck, PublishTrigger.ResponseTimeout, PublishState.Withdrawn, PublishEffect.Withdraw, PublishGuard.RepublishesExhausted));
        AssertCaught(tables, "I1", "--ResponseTimeout--> Withdrawn");
    }

    [Fact]
    public void A_ping_that_is_never_sent_is_a_hole_the_client_would_crash_on()
    {
        // Dropping a row (not changing it) leaves (state, trigger, guard) with no row: the runtime's TableMachine throws there.
        var rows = KeepAliveTable.CreateRows().Where(r => !(r.From == KeepAliveState.Idle && r.Trigger == KeepAliveTrigger.Tick && r.Guard == KeepAliveGuard.PingIntervalElapsed)).ToArray();
        AssertCaught(new ModelTables(keepAlive: rows), "NoRow", "Tick");
    }

    private void AssertCaught(ModelTables tables, string invariant, string traceMentions)
    {
        var report = new ModelChecker(tables).Run(int.MaxValue); // the default configuration is exhausted in seconds
        output.WriteLine(report.ToString());
        Assert.True(report.Violation is not null, "the mutation was not caught: " + report);
        Assert.Equal(invariant, report.Violation.Invariant);
        Assert.Contains(report.Trace, line => line.Contains(traceMentions, StringComparison.Ordinal));
    }
}
