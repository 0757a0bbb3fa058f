using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using StateMachineMqtt.PropertyTests.Docs;
using StateMachineMqtt.PropertyTests.Fixtures.Requirements;

namespace StateMachineMqtt.PropertyTests.Protocol.Fuzzing;

/// <summary>
/// CI's short coverage-guided run: fuzz/afl.sh instruments this build of the decoders and runs afl-fuzz on the "all"
/// target (every decoder, both versions, on each input) for a few seconds, one core. Any crash fails the test, with the
/// input in hex. <c>SMQTT_FUZZ_SECONDS</c> lengthens it; fuzz/README.md has the long command.
/// </summary>
public sealed partial class AflFuzzRunTests
{
    /// <summary>How long afl-fuzz runs, in seconds.</summary>
    public const string SecondsVariable = "SMQTT_FUZZ_SECONDS";

    private const int DefaultSeconds = 5;

    [RequiresToolsFact(Tool.AflFuzz)]
    public async Task A_short_afl_run_over_every_decoder_finds_no_crash()
    {
        int seconds = int.TryParse(Environment.GetEnvironmentVariable(SecondsVariable), NumberStyles.None, CultureInfo.InvariantCulture, out int s) && s > 0 ? s : DefaultSeconds;
        string root = SpecReadmeTests.RepositoryRoot();
        string work = Directory.CreateTempSubdirectory("smqtt-afl-").FullName;
        try
        {
            var start = new ProcessStartInfo("bash", [Path.Combine(root, "fuzz", "afl.sh"), "all", seconds.ToString(CultureInfo.InvariantCulture)])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = root,
                Environment =
                {
                    ["FUZZ_NO_BUILD"] = "1", // property-tests built fuzz/ already, in this configuration
                    ["FUZZ_CONFIGURATION"] = Configuration(),
                    ["FUZZ_WORK"] = work,
                },
            };
            using var process = Process.Start(start)!;
            using var safetyNet = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 120));
            Task<string> output = process.StandardOutput.ReadToEndAsync(safetyNet.Token);
            Task<string> error = process.StandardError.ReadToEndAsync(safetyNet.Token);
            await process.WaitForExitAsync(safetyNet.Token);
            string text = await output + await error;
            Assert.True(process.ExitCode == 0, $"fuzz/afl.sh exited {process.ExitCode}: {text}");

            Match summary = Summary().Match(text);
            Assert.True(summary.Success, $"no summary line in: {text}");
            long executions = long.Parse(summary.Groups["execs"].Value, CultureInfo.InvariantCulture);
            Assert.True(executions > 0, text);
            string crashes = Path.Combine(work, "findings-all", "default", "crashes");
            string[] found = Directory.Exists(crashes) ? [.. Directory.EnumerateFiles(crashes, "id:*")] : [];
            Assert.True(found.Length == 0, $"afl-fuzz found {found.Length} crash(es) in {executions} executions: "
                + string.Join("; ", found.Select(f => Convert.ToHexString(File.ReadAllBytes(f)))));
            Assert.Equal("0", summary.Groups["crashes"].Value);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    // property-tests/bin/<Configuration>/net10.0/: fuzz/ was built beside it in the same configuration.
    private static string Configuration() => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    [GeneratedRegex(@"all: (?<execs>\d+) executions in \d+ s, corpus \d+, crashes (?<crashes>\d+), hangs \d+")]
    private static partial Regex Summary();
}
