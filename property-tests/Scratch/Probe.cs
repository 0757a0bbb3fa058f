using StateMachineMqtt.PropertyTests.ModelChecking;
using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.Scratch;

public sealed class ProbeTests(ITestOutputHelper output)
{
    [Fact]
    public void Probe()
    {
        if (Environment.GetEnvironmentVariable("PROBE_CONFIGS") is not { Length: > 0 } configs)
        {
            return;
        }

        foreach (var options in configs.Split(';').Select(c => c.Split(',').Select(int.Parse).ToArray()).Select(c => new ModelOptions(c[0], c[1], c[2], c.Length < 4 || c[3] == 1, c.Length > 4 && c[4] == 1, c.Length > 5 && c[5] == 1) { Qos0Messages = c.Length > 6 ? c[6] : 0, Unsubscribe = c.Length > 7 && c[7] == 1 }))
        {
            var t = (Environment.GetEnvironmentVariable("PROBE_TIMING") is { Length: > 0 } timing ? timing : "1000,2000,3000").Split(',').Select(long.Parse).ToArray();
            var checker = new ModelChecker(options: options with { PingIntervalMs = t[0], ResponseTimeMs = t[1], KeepAliveMs = t[2] }, tolerate: EngineFindings.All);
            var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            var report = checker.Run(int.TryParse(Environment.GetEnvironmentVariable("PROBE_DEPTH"), out int d) ? d : 12, Environment.GetEnvironmentVariable("PROBE_LIVENESS") != "0");
            if (Environment.GetEnvironmentVariable("PROBE_DUMP") == "1")
            {
                var path = checker.PathTo(checker.Flags.Count - 1);
                output.WriteLine(string.Join(" ", path.Select(c => ModelEvent.FromCode(c).ToString())));
                var w = checker.ReplayWorld(path);
                var text = new TextSink();
                w.Fingerprint(text);
                output.WriteLine(w.ToString());
                output.WriteLine(text.ToString());
            }

            output.WriteLine($"{options}: cpu {(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.0} s; {report}");
        }
    }
}
