using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>
/// Each engine bug the checker found and reported (<see cref="EngineFindings"/>) is still there: the checker, tolerating
/// only the others, stops at it, and the test prints its counter-example. These tests are the bugs' record, not a
/// requirement: once engine/ is fixed, the one for that bug fails — then delete it and its EngineFindings entry, and the
/// model-checking tests check that invariant again without exception.
/// </summary>
public sealed class EngineFindingTests(ITestOutputHelper output)
{
    public static TheoryData<string> Findings() => [.. EngineFindings.All.Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(Findings))]
    public void A_known_engine_bug_is_still_found(string name)
    {
        KnownFinding finding = EngineFindings.All.Single(f => f.Name == name);
        var report = new ModelChecker(options: new ModelOptions(MaxMessages: 1, CleanSession: true), tolerate: [.. EngineFindings.All.Where(f => f != finding)]).Run(int.MaxValue, checkLiveness: false);
        output.WriteLine($"KNOWN ENGINE BUG: {finding.Name}");
        output.WriteLine(report.ToString());
        Assert.True(report.Violation is not null && finding.Matches(report.Violation),
            $"The engine no longer shows \"{finding.Name}\" (fixed?): delete this case and its entry in EngineFindings.\n{report}");
        Assert.Equal(report.Violation, report.ReplayedViolation);
    }
}
