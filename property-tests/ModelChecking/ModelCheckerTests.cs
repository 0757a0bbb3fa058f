using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>
/// The spec tables, composed with the environment model, break no invariant in any state reachable within the CI depth, and
/// satisfy I6 under weak fairness. Deeper: <c>SMQTT_CHECK_DEPTH=40 dotnet test property-tests --filter FullyQualifiedName~ModelChecking</c>.
/// </summary>
public sealed class ModelCheckerTests(ITestOutputHelper output)
{
    /// <summary>The depth CI explores: about a minute on 2 cores (see docs/verification.md).</summary>
    public const int CiDepth = 16;

    /// <summary>The depth to explore: SMQTT_CHECK_DEPTH, or <see cref="CiDepth"/>.</summary>
    public static int Depth =>
        int.TryParse(Environment.GetEnvironmentVariable("SMQTT_CHECK_DEPTH"), out int depth) && depth > 0 ? depth : CiDepth;

    [Fact]
    public void The_spec_tables_keep_every_invariant_in_every_reachable_state()
    {
        var report = new ModelChecker(new ModelTables()).Run(Depth);
        output.WriteLine(report.ToString().Split(Environment.NewLine)[0]);
        Assert.True(report.Violation is null, report.ToString());
        Assert.True(report.StatesExplored > 10_000, report.ToString());
        Assert.True(report.FairComponents > 0, "the liveness check found no fair cycle at all, so it checked nothing: " + report);
    }
}
