using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>
/// The session engine — the code users run — composed with the environment model (<see cref="World"/>) breaks no safety
/// invariant in any reachable state and satisfies I6 (and I7's calls) under weak fairness. The one-message models are
/// explored exhaustively; the two-message one to <see cref="Depth"/>. Engine bugs already found are explored past and
/// reported (<see cref="EngineFindings"/>, with their traces in the output). Deeper:
/// <c>SMQTT_CHECK_DEPTH=60 dotnet test property-tests --filter FullyQualifiedName~ModelChecking.ModelCheckerTests</c>.
/// </summary>
public sealed class ModelCheckerTests(ITestOutputHelper output)
{
    /// <summary>The depth CI explores the largest configuration to (see docs/verification.md for the time it takes).</summary>
    public const int CiDepth = 16;

    /// <summary>The depth to explore the largest configuration to: SMQTT_CHECK_DEPTH, or <see cref="CiDepth"/>.</summary>
    public static int Depth =>
        int.TryParse(Environment.GetEnvironmentVariable("SMQTT_CHECK_DEPTH"), out int depth) && depth > 0 ? depth : CiDepth;

    [Fact]
    public void One_message_with_a_clean_session_keeps_every_invariant_in_every_reachable_state()
    {
        var report = Check(new ModelOptions(MaxMessages: 1, Window: 1, MaxRepublishes: 1, CleanSession: true, SlowLink: true, LossyBroker: true), int.MaxValue);
        Assert.True(report.Exhaustive, report.ToString());
    }

    /// <summary>
    /// With a kept session the broker answers "session present"; the SessionInDoubt guard makes the engine restore the
    /// subscriptions when that session may be one the broker made empty while a CONNACK was lost (I8; the bug this checker
    /// found before the guard existed is SeededBugTests.Trusting_every_session_present_loses_subscriptions_with_a_kept_session_I8).
    /// </summary>
    [Fact]
    public void With_a_kept_session_subscriptions_are_in_force_after_every_reconnect()
    {
        var report = Check(new ModelOptions(MaxMessages: 1, Window: 1, MaxRepublishes: 1, CleanSession: false, SlowLink: true, LossyBroker: true), int.MaxValue);
        Assert.True(report.Exhaustive, report.ToString());
    }

    [Fact]
    public void Two_messages_in_a_window_of_two_keep_every_invariant_to_the_stated_depth()
    {
        var report = Check(new ModelOptions(MaxMessages: 2, Window: 2, MaxRepublishes: 1, CleanSession: true, SlowLink: true, LossyBroker: true), Depth);
        Assert.True(report.Depth >= Depth || report.Exhaustive, report.ToString());
    }

    private CheckReport Check(ModelOptions options, int depth)
    {
        var report = new ModelChecker(options: options, tolerate: EngineFindings.All).Run(depth);
        output.WriteLine($"{options}: {report.ToString().Split(Environment.NewLine)[0]}");
        foreach (Finding finding in report.Findings)
        {
            output.WriteLine($"KNOWN ENGINE BUG (explored past, see EngineFindings): {finding.Known.Name}, met {finding.Occurrences:N0} times; first: {finding.First}");
            output.WriteLine(string.Join(Environment.NewLine, finding.Trace));
        }

        Assert.True(report.Violation is null, report.ToString());
        Assert.True(report.StatesExplored > 1_000, report.ToString());
        Assert.True(report.FairComponents > 0, "the liveness check found no fair cycle at all, so it checked nothing: " + report);
        return report;
    }
}
