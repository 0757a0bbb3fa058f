using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>
/// The session engine, composed with the environment model, breaks no safety invariant in any reachable state and satisfies
/// I6 under weak fairness.
/// </summary>
public sealed class ModelCheckerTests(ITestOutputHelper output)
{
    /// <summary>The depth CI explores the largest configuration to.</summary>
    public const int CiDepth = 22;

    /// <summary>The depth to explore the largest configuration to: SMQTT_CHECK_DEPTH, or <see cref="CiDepth"/>.</summary>
    public static int Depth =>
        int.TryParse(Environment.GetEnvironmentVariable("SMQTT_CHECK_DEPTH"), out int depth) && depth > 0 ? depth : CiDepth;

    [Fact]
    public void Probe()
    {
        foreach (var options in (Environment.GetEnvironmentVariable("PROBE_CONFIGS") ?? "1,1,1").Split(';').Select(c => c.Split(',').Select(int.Parse).ToArray()).Select(c => new ModelOptions(c[0], c[1], c[2], c.Length < 4 || c[3] == 1, c.Length > 4 && c[4] == 1, c.Length > 5 && c[5] == 1)))
        {
            var checker = new ModelChecker(options: options, tolerate: EngineFindings.All);
            var report = checker.Run(int.TryParse(Environment.GetEnvironmentVariable("PROBE_DEPTH"), out int d) ? d : 12);
            output.WriteLine($"{options}: {report}");
            double f = 1e6 / System.Diagnostics.Stopwatch.Frequency / report.Transitions;
            output.WriteLine($"per transition us: copy {ModelChecker.TCopy * f:0.0} apply {ModelChecker.TApply * f:0.0} id {ModelChecker.TId * f:0.0} enabled {ModelChecker.TEnabled * f:0.0}");
            var path = checker.PathTo(checker.Flags.Count - 1);
            output.WriteLine(string.Join(" ", path.Select(c => ModelEvent.FromCode(c).ToString())));
            var w = checker.ReplayWorld(path);
            var copier = checker.Copier!;
            w = checker.ReplayWorld(path, true);
            var sw = System.Diagnostics.Stopwatch.StartNew();
            for (int i = 0; i < 20000; i++) { copier.Fork(w); }
            output.WriteLine($"fork of replayed world: {sw.Elapsed.TotalMilliseconds * 1000 / 20000:0.0} us, {copier.LastCount} objects: {copier.Census()}");
            var text = new TextSink();
            w.Fingerprint(text);
            output.WriteLine(w.ToString());
            output.WriteLine(text.ToString());
        }
    }
}
