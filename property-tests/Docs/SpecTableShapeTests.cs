using StateMachineMqtt.Machines;
using StateMachineMqtt.Spec;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Docs;

/// <summary>The spec tables are well-formed (see <see cref="TableShape"/>), and the checker catches each kind of mistake.</summary>
public sealed class SpecTableShapeTests
{
    private static readonly ConnectionGuard[][] ConnectionFamilies = [[ConnectionGuard.NeverConnected, ConnectionGuard.HasConnectedBefore], [ConnectionGuard.SessionTrusted, ConnectionGuard.SessionInDoubt], [ConnectionGuard.RetryAllowed, ConnectionGuard.FirstConnectBoundReached]];
    private static readonly KeepAliveGuard[][] KeepAliveFamilies = [[KeepAliveGuard.WithinPingInterval, KeepAliveGuard.PingIntervalElapsed, KeepAliveGuard.KeepAliveElapsed]];
    private static readonly PublishGuard[][] PublishFamilies = [[PublishGuard.V311ResendsLeft, PublishGuard.V5WaitsLeft, PublishGuard.RetriesExhausted], [PublishGuard.AtLeastOnce, PublishGuard.ExactlyOnce], [PublishGuard.V311, PublishGuard.V5]];
    private static readonly ConnectionState[] ConnectionFinals = [ConnectionState.Disposed];
    private static readonly PublishState[] PublishFinals = [PublishState.Acked, PublishState.Withdrawn, PublishState.Refused, PublishState.Oversized];

    [Fact]
    public void Connection_table_is_well_formed() =>
        Assert.Empty(TableShape.Problems(SpecTables.Connection(), ConnectionTable.Initial, ConnectionFinals, ConnectionFamilies));

    [Fact]
    public void KeepAlive_table_is_well_formed() =>
        Assert.Empty(TableShape.Problems(SpecTables.KeepAlive(), KeepAliveTable.Initial, [], KeepAliveFamilies));

    [Fact]
    public void Publish_table_is_well_formed() =>
        Assert.Empty(TableShape.Problems(SpecTables.Publish(), PublishTable.Initial, PublishFinals, PublishFamilies));

    [Fact]
    public void A_missing_guard_of_a_family_is_reported()
    {
        var rows = SpecTables.Connection().Where(r => r.Guard != ConnectionGuard.HasConnectedBefore || r.Trigger != ConnectionTrigger.ConfigurationError).ToArray();

        AssertReports(TableShape.Problems(rows, ConnectionTable.Initial, ConnectionFinals, ConnectionFamilies), "(Connecting, ConfigurationError) does not cover guard(s) HasConnectedBefore");
    }

    [Fact]
    public void A_duplicate_row_is_reported()
    {
        var rows = SpecTables.Publish();
        rows = [.. rows, rows[0]];

        AssertReports(TableShape.Problems(rows, PublishTable.Initial, PublishFinals, PublishFamilies), "(Queued, Transmit) has 2 rows with guard AtLeastOnce");
    }

    [Fact]
    public void An_unguarded_row_beside_guarded_rows_is_reported()
    {
        var rows = SpecTables.Publish().Select(r => r.Guard == PublishGuard.RetriesExhausted ? r with { Guard = PublishGuard.None } : r).ToArray();

        AssertReports(TableShape.Problems(rows, PublishTable.Initial, PublishFinals, PublishFamilies), "(AwaitingPubAck, ResponseTimeout) mixes an unguarded row");
    }

    [Fact]
    public void Guards_from_two_families_are_reported()
    {
        KeepAliveGuard[][] split = [[KeepAliveGuard.WithinPingInterval, KeepAliveGuard.PingIntervalElapsed], [KeepAliveGuard.KeepAliveElapsed]];

        AssertReports(TableShape.Problems(SpecTables.KeepAlive(), KeepAliveTable.Initial, [], split), "(Idle, Tick) has guards [WithinPingInterval, PingIntervalElapsed, KeepAliveElapsed], which are not all from one");
    }

    [Fact]
    public void An_unreachable_state_and_an_unused_effect_are_reported()
    {
        var rows = SpecTables.Connection().Where(r => r.To != ConnectionState.Disconnecting || r.From == ConnectionState.Disconnecting).ToArray();

        var problems = TableShape.Problems(rows, ConnectionTable.Initial, ConnectionFinals, ConnectionFamilies);

        AssertReports(problems, "State Disconnecting cannot be reached");
        AssertReports(problems, "The effect ConnectionEffect.SendDisconnect is used by no row");
    }

    [Fact]
    public void A_stuck_state_and_a_final_state_with_rows_are_reported()
    {
        var rows = SpecTables.Connection();
        var stuck = rows.Where(r => r.From != ConnectionState.Closed || r.To == ConnectionState.Closed).ToList();
        stuck.Add(rows[0] with { From = ConnectionState.Disposed });

        var problems = TableShape.Problems(stuck, ConnectionTable.Initial, ConnectionFinals, ConnectionFamilies);

        AssertReports(problems, "State Closed is not final but no row leads out of it");
        AssertReports(problems, "Final state Disposed has rows");
    }

    [Fact]
    public void Socket_error_table_maps_every_code_once_to_a_classifier_trigger()
    {
        SocketErrorRow[] rows = SocketErrorTable.CreateRows();
        ConnectionTrigger[] allowed = [ConnectionTrigger.SocketPending, ConnectionTrigger.ConfigurationError, ConnectionTrigger.LinkLost];

        Assert.Equal(rows.Length, rows.Select(r => r.Code).Distinct().Count());
        Assert.Empty(Enum.GetValues<SocketErrorCode>().Except(rows.Select(r => r.Code)));
        Assert.All(rows, r => Assert.Contains(r.Trigger, allowed));
        Assert.All(rows, r => Assert.Equal(r.Trigger, SocketErrorTable.Classify((int)r.Code)));
        Assert.Equal(SocketErrorTable.Default, SocketErrorTable.Classify(12345));
    }

    private static void AssertReports(List<string> problems, string expected) =>
        Assert.True(problems.Any(p => p.Contains(expected, StringComparison.Ordinal)),
            $"Expected a problem containing \"{expected}\"; got:\n{string.Join("\n", problems)}");
}
