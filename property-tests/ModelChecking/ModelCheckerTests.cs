using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>
/// The spec tables, composed with the environment model, break no safety invariant in any reachable state and satisfy I6
/// under weak fairness. Small configurations are explored exhaustively; the largest one to <see cref="Depth"/>. Deeper:
/// <c>SMQTT_CHECK_DEPTH=40 dotnet test property-tests --filter FullyQualifiedName~ModelChecking</c> (40 is exhaustive).
/// </summary>
public sealed class ModelCheckerTests(ITestOutputHelper output)
{
    /// <summary>The depth CI explores the largest configuration to (about 25 s on 2 cores; see docs/verification.md).</summary>
    public const int CiDepth = 22;

    /// <summary>The depth to explore the largest configuration to: SMQTT_CHECK_DEPTH, or <see cref="CiDepth"/>.</summary>
    public static int Depth =>
        int.TryParse(Environment.GetEnvironmentVariable("SMQTT_CHECK_DEPTH"), out int depth) && depth > 0 ? depth : CiDepth;

    [Theory]
    [InlineData(3, 2, 1)]
    [InlineData(2, 1, 2)]
    public void Small_configurations_keep_every_invariant_in_every_reachable_state(int messages, int window, int maxRepublishes)
    {
        var report = Check(new ModelOptions(messages, window, maxRepublishes), int.MaxValue);
        Assert.True(report.Exhaustive, report.ToString());
    }

    [Fact]
    public void Three_messages_with_a_full_window_and_three_republishes_keep_every_invariant_to_the_stated_depth()
    {
        var report = Check(new ModelOptions(MaxMessages: 3, Window: 3, MaxRepublishes: 3), Depth);
        Assert.True(report.Depth >= Math.Min(Depth, 38), report.ToString()); // 38 is where this configuration is exhausted
    }

    /// <summary>
    /// Found by this checker: a CONNACK lost after the broker made a new session made the next CONNACK say "session present"
    /// for a session without subscriptions. The SessionInDoubt guard now restores them (I8).
    /// </summary>
    [Fact]
    public void With_a_kept_session_subscriptions_are_in_force_after_every_reconnect()
    {
        Check(new ModelOptions(CleanSession: false), int.MaxValue);
    }

    private CheckReport Check(ModelOptions options, int depth)
    {
        var report = new ModelChecker(new ModelTables(), options).Run(depth);
        output.WriteLine($"{options}: {report.ToString().Split(Environment.NewLine)[0]}");
        Assert.True(report.Violation is null, report.ToString());
        Assert.True(report.StatesExplored > 1_000, report.ToString());
        Assert.True(report.FairComponents > 0, "the liveness check found no fair cycle at all, so it checked nothing: " + report);
        return report;
    }
}
