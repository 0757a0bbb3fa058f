using System.Globalization;
using System.Text.RegularExpressions;
using StateMachineMqtt.Machines;
using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using StateMachineMqtt.Spec;
using StateMachineMqtt.Verification.ModelChecking;
using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>
/// The Promela model generated from the spec tables passes spin: the safety assertions in an exhaustive -DSAFETY run, and the
/// LTL claim <c>live</c> (eventually always connected with every message acknowledged) with weak fairness (pan -a -f).
/// </summary>
public sealed class SpinTests(ITestOutputHelper output)
{
    // Compiling pan.c (~3.6 MB with pan.m) costs far more than most searches: measured, gcc takes 21 s of CPU at -O0 and
    // 44 s at -O1, while the safety search runs in 0.5 s either way. Only the weak-fairness search (32 M transitions) is
    // worth -O1: 26 s of search there against 65 s at -O0. NFAIR: the weak-fairness run's process count.
    internal const string Safety = "-O0 -DSAFETY -DVECTORSZ=2048";
    internal const string Liveness = "-O1 -DVECTORSZ=2048 -DNFAIR=8";

    /// <summary>For a liveness search expected to stop at its first counter-example, which is quick: compiling is the cost.</summary>
    internal const string LivenessCounterExample = "-O0 -DVECTORSZ=2048 -DNFAIR=8";

    [Fact]
    public void The_generated_model_holds_every_row_of_the_three_tables()
    {
        var tables = MachineTables.Spec;
        string model = PromelaExport.Generate(tables);
        if (Environment.GetEnvironmentVariable("SMQTT_PROMELA_OUT") is { Length: > 0 } path)
        {
            File.WriteAllText(path, model); // for running spin by hand: see docs/verification.md
        }

        // Every name the step code uses stands for its enum's value in spec/.
        var defines = Regex.Matches(model, @"^#define (\w+) (\d+)$", RegexOptions.Multiline).ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        AssertDefines<ConnectionState>("C_"); AssertDefines<ConnectionTrigger>("CT_"); AssertDefines<ConnectionEffect>("CE_");
        AssertDefines<KeepAliveState>("K_"); AssertDefines<KeepAliveTrigger>("KT_"); AssertDefines<KeepAliveGuard>("KG_"); AssertDefines<KeepAliveEffect>("KE_");
        AssertDefines<PublishState>("P_"); AssertDefines<PublishTrigger>("PT_"); AssertDefines<PublishEffect>("PE_");

        // Each table is one step inline, one alternative per row: guarded by the row's from-state, trigger and guard, it moves
        // to the row's to-state and leaves its effect; any other (state, trigger) is a table hole, an assertion failure.
        AssertRows("conn_rows(t)", tables.Connection.Select(r => (r.Index,
            Set($"conn == C_{r.From}", $"t == CT_{r.Trigger}", r.Guard == ConnectionGuard.None ? null : PromelaTemplate.Meaning(r.Guard)),
            Set($"conn = C_{r.To}", $"ceff = CE_{r.Effect}"))));
        AssertRows("ka_rows(t)", tables.KeepAlive.Select(r => (r.Index,
            Set($"ka == K_{r.From}", $"t == KT_{r.Trigger}", r.Guard == KeepAliveGuard.None ? null : PromelaTemplate.Meaning(r.Guard)),
            Set($"ka = K_{r.To}", $"keff = KE_{r.Effect}"))));
        AssertRows("pub_rows(i, t)", tables.Publish.Select(r => (r.Index,
            Set($"mst[i] == P_{r.From}", $"t == PT_{r.Trigger}", r.Guard == PublishGuard.None ? null : PromelaTemplate.Meaning(r.Guard)),
            Set($"mst[i] = P_{r.To}", $"peff = PE_{r.Effect}"))));

        // The safety assertions PromelaExport claims (I1-I4, I8, I9), with the per-state invariants checked on every step.
        foreach (string invariant in new[] { "I1", "I2", "I3", "I4", "I8", "I9" })
        {
            Assert.Matches(new Regex(@"assert\(.*/\* " + invariant + @" \*/"), model);
        }

        Assert.True(Regex.Count(model, @"\bstate_invariants\(\)") >= 2, "state_invariants() is defined but never checked");

        // The liveness claim: eventually always connected with every message (two by default) acknowledged; none in a safety run.
        Assert.Contains("ltl live { <>[] (conn == C_Connected && mdone[0] && mdone[1]) }", model, StringComparison.Ordinal);
        Assert.DoesNotContain("ltl ", PromelaExport.Generate(tables, withLiveness: false), StringComparison.Ordinal);

        void AssertDefines<T>(string prefix)
            where T : struct, Enum
        {
            foreach (T value in Enum.GetValues<T>())
            {
                Assert.True(defines.TryGetValue(prefix + value, out int defined), $"#define {prefix}{value} is missing");
                Assert.Equal(Convert.ToInt32(value, CultureInfo.InvariantCulture), defined);
            }
        }

        // A guard's meaning may itself be a conjunction (a version and a count): its conjuncts count one by one.
        static HashSet<string> Set(params string?[] parts) => [.. parts.OfType<string>().SelectMany(p => p.Split(" && "))];

        // The inline's alternatives, each split into its guard's conjuncts and its statements, must be exactly the rows plus the hole.
        void AssertRows(string inline, IEnumerable<(int Index, HashSet<string> Guard, HashSet<string> Action)> rows)
        {
            Match body = Regex.Match(model, @"^inline " + Regex.Escape(inline) + @" \{\n(.*?)^\}", RegexOptions.Multiline | RegexOptions.Singleline);
            Assert.True(body.Success, $"inline {inline} is missing");
            string name = inline[..inline.IndexOf('(', StringComparison.Ordinal)];
            Assert.True(Regex.Count(model, @"\b" + name + @"\(") >= 2, $"inline {inline} is never used by the composition");
            var alternatives = Regex.Matches(body.Groups[1].Value, @"^  :: (.*)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
            Assert.Equal("else -> assert(false)", alternatives[^1][..alternatives[^1].IndexOf(" /*", StringComparison.Ordinal)]);
            var byRow = new Dictionary<int, string>();
            foreach (string alternative in alternatives.SkipLast(1))
            {
                Match row = Regex.Match(alternative, @"^(.*) -> (.*) /\* row (\d+) \*/$");
                Assert.True(row.Success, $"{inline}: not a row: {alternative}");
                Assert.True(byRow.TryAdd(int.Parse(row.Groups[3].Value, CultureInfo.InvariantCulture), alternative), $"{inline}: row {row.Groups[3].Value} twice");
            }

            var expected = rows.ToList();
            Assert.Equal(expected.Select(r => r.Index).Order(), byRow.Keys.Order());
            foreach (var (index, guard, action) in expected)
            {
                Match row = Regex.Match(byRow[index], @"^(.*) -> (.*) /\* row \d+ \*/$");
                Assert.True(guard.SetEquals(row.Groups[1].Value.Split(" && ")), $"{inline} row {index}: guard {row.Groups[1].Value}, expected {string.Join(" && ", guard)}");
                Assert.True(action.SetEquals(row.Groups[2].Value.Split("; ")), $"{inline} row {index}: action {row.Groups[2].Value}, expected {string.Join("; ", action)}");
            }
        }
    }

    [RequiresToolsTheory(Tool.Spin)]
    [InlineData(false)]
    [InlineData(true)] // MQTT 5: the V5 guards hold, and no re-send on the same link is asserted
    public async Task Spin_finds_no_assertion_violation_in_the_generated_model(bool v5)
    {
        var result = await SpinRunner.VerifyAsync(PromelaExport.Generate(MachineTables.Spec, withLiveness: false, v5: v5), Safety, "-m1000000", CancellationToken.None);
        output.WriteLine(result.Output);
        Assert.True(result.Errors == 0, result.Output);
    }

    [RequiresToolsTheory(Tool.Spin)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Spin_proves_the_liveness_claim_under_weak_fairness(bool v5)
    {
        var result = await SpinRunner.VerifyAsync(PromelaExport.Generate(MachineTables.Spec, v5: v5), Liveness, "-a -f -m1000000 -N live", CancellationToken.None);
        output.WriteLine(result.Output);
        Assert.True(result.Errors == 0, result.Output);
    }
}
