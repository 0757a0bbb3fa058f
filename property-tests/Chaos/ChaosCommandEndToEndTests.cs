using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using System.Text.Json;
using StateMachineMqtt.Cli;
using StateMachineMqtt.Cli.Commands;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;

namespace StateMachineMqtt.PropertyTests.Chaos;

/// <summary><c>smqtt chaos</c> end to end, briefly: it starts Mosquitto, runs, writes both reports and exits 0.</summary>
public sealed class ChaosCommandEndToEndTests
{
    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task A_short_soak_writes_a_json_and_a_markdown_report_and_exits_0()
    {
        var directory = Directory.CreateTempSubdirectory("smqtt-chaos-report-");
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            // As on a terminal: the live status line goes to stderr, and stdout's log lines stay free of it.
            var terminal = new CliEnvironment(TimeProvider.System, StderrIsTerminal: true);
            int exit = await CliApp.RunAsync(["chaos", "--messages", "600", "--seed", "5", "--rate", "300", "--out", directory.FullName], TextReader.Null, stdout, stderr, terminal, CancellationToken.None);

            Assert.True(exit == 0, $"exit {exit}: {stderr}{Environment.NewLine}{stdout}");
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory.FullName, "chaos-report.json")));
            var report = Assert.Single(json.RootElement.EnumerateArray());
            Assert.Equal("StateMachineMqtt", report.GetProperty("Client").GetString());
            Assert.Equal(600, report.GetProperty("Delivery").GetProperty("Published").GetInt32());
            Assert.Equal(5, report.GetProperty("Seed").GetInt32());
            string markdown = await File.ReadAllTextAsync(Path.Combine(directory.FullName, "chaos-report.md"));
            Assert.Contains("| **lost by the clients** | **0** |", markdown, StringComparison.Ordinal);
            Assert.Contains("seed 5", stdout.ToString(), StringComparison.Ordinal);
            Assert.Contains("\rsmqtt chaos: StateMachineMqtt: 0 s: ", stderr.ToString(), StringComparison.Ordinal);
            Assert.Matches(@"\d+/600 published, \d+ delivered", stderr.ToString());
            Assert.DoesNotContain("\r", stdout.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
