using System.Globalization;
using StateMachineMqtt.Cli.Commands;
using StateMachineMqtt.Cli.Commands.Output;
using StateMachineMqtt.Cli.Diagrams;
using StateMachineMqtt.TestKit.Brokers;
using StateMachineMqtt.TestKit.Soak;

namespace StateMachineMqtt.Cli.Chaos;

/// <summary>
/// <c>smqtt chaos [--minutes N] [--messages N] [--seed S] [--rate N] [--out DIR] [--compare]</c>: a soak against a Mosquitto
/// it starts and kills; writes chaos-report.json and chaos-report.md; with --compare also runs MQTTnet on the same schedule
/// and writes docs/resilience.md. Exit 0 when our client lost nothing and no call hung.
/// </summary>
internal static class ChaosCommand
{
    /// <summary>Messages of a run given neither --messages nor --minutes.</summary>
    public const int DefaultMessages = 20_000;

    /// <summary>Runs the soak (and the comparison).</summary>
    /// <remarks>On a terminal, stderr gets a live status line (published, delivered, faults), cleared before each log line.</remarks>
    public static async Task<int> RunAsync(CliArguments arguments, TextWriter stdout, TextWriter stderr, CliEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var options = Options(arguments);
        var progress = new ProgressLine(stderr, environment);
        var gate = new object(); // the runner logs from its publisher, subscriber and fault tasks alike
        void Log(string line)
        {
            lock (gate)
            {
                progress.Clear();
                stdout.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
            }
        }

        void Status(string line)
        {
            lock (gate)
            {
                progress.Update(() => $"smqtt chaos: {line}");
            }
        }
        Log($"smqtt chaos: seed {options.Seed} (repeat this run with --seed {options.Seed})");

        string? resilienceDocument = null;
        if (arguments.Compare)
        {
            string root = DiagramWriter.FindRepositoryRoot(Environment.CurrentDirectory)
                ?? throw new UsageException("--compare writes docs/resilience.md: run it inside the StateMachineMqtt repository.");
            resilienceDocument = Path.Combine(root, "docs", "resilience.md");
        }

        var reports = new List<SoakReport>();
        foreach (var clients in arguments.Compare ? new[] { SmqttSoakClient.Factory, MqttnetSoakClient.Factory } : [SmqttSoakClient.Factory])
        {
            // A fresh broker for each client: the same starting point, no sessions or queues left by the other.
            var broker = await MosquittoBroker.StartForSoakAsync(cancellationToken).ConfigureAwait(false);
            await using (broker.ConfigureAwait(false))
            {
                reports.Add(await SoakRunner.RunAsync(clients, broker, options, Log, Status, environment.Time, cancellationToken).ConfigureAwait(false));
            }
        }

        string directory = arguments.OutDirectory ?? Environment.CurrentDirectory;
        Directory.CreateDirectory(directory);
        string json = Path.Combine(directory, "chaos-report.json");
        string markdown = Path.Combine(directory, "chaos-report.md");
        string title = arguments.Compare ? "Resilience: StateMachineMqtt and MQTTnet under the same chaos" : "smqtt chaos report";
        await File.WriteAllTextAsync(json, SoakReportWriter.ToJson(reports), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(markdown, SoakReportWriter.ToMarkdown(reports, options, title), cancellationToken).ConfigureAwait(false);
        Log($"wrote {json} and {markdown}");
        if (resilienceDocument is { } doc)
        {
            await File.WriteAllTextAsync(doc, SoakReportWriter.ToMarkdown(reports, options, title, ScaleNote(reports[0])), cancellationToken).ConfigureAwait(false);
            Log($"wrote {doc}");
        }

        await stdout.WriteLineAsync(SoakReportWriter.ToMarkdown(reports, options, title)).ConfigureAwait(false);
        foreach (var failed in reports.Where(r => !r.Passed))
        {
            await stdout.WriteLineAsync($"{failed.Client} failed; its last events:{Environment.NewLine}{string.Join(Environment.NewLine, failed.Trace)}").ConfigureAwait(false);
        }

        return reports[0].Passed ? 0 : 1;
    }

    /// <summary>The soak settings the command line asks for.</summary>
    internal static SoakOptions Options(CliArguments arguments)
    {
        int messages = arguments.Messages ?? (arguments.Minutes is null ? DefaultMessages : int.MaxValue);
        var defaults = new SoakOptions();
        return defaults with
        {
            Seed = arguments.Seed ?? Random.Shared.Next(1, 1_000_000),
            Messages = messages,
            Duration = arguments.Minutes is { } minutes ? TimeSpan.FromMinutes(minutes) : null,
            MessagesPerSecond = arguments.Rate ?? defaults.MessagesPerSecond,
        };
    }

    private static string ScaleNote(SoakReport ours) => string.Create(
        CultureInfo.InvariantCulture,
        $"Scale of this run: {ours.Delivery.Published:N0} messages, {ours.Faults} faults, {ours.BrokerKills} broker restarts for our client. Regenerate with `smqtt chaos --compare --seed {ours.Seed}`.");
}
