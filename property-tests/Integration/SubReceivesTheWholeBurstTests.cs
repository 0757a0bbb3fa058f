using System.Diagnostics;
using System.Globalization;
using StateMachineMqtt.Cli;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using Xunit.Abstractions;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Integration;

/// <summary>
/// Issue 14's measurement: `smqtt sub -q 0` printed 13,505 of a 50,000-message QoS 0 burst from `mosquitto_pub -l`,
/// dropping the rest without a word. Now the client stops reading while its application is behind, so TCP holds the broker
/// back and nothing is dropped. The application here is deliberately slower than the network (a fixed amount of work per
/// line, not a sleep).
/// </summary>
public sealed class SubReceivesTheWholeBurstTests(ITestOutputHelper output)
{
    private const int Burst = 50_000;

    [RequiresToolsFact(Tool.Mosquitto, Tool.MosquittoClients)]
    public async Task Sub_at_QoS0_prints_every_message_of_a_50000_message_burst_in_order()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var broker = await MosquittoBroker.StartAsync(limit.Token);
        var printed = new SlowLines(Burst);
        string port = broker.Port.ToString(CultureInfo.InvariantCulture);
        using var subErr = new StringWriter();
        Task<int> sub = CliApp.RunAsync(["sub", "-h", "127.0.0.1", "-p", port, "-t", "burst/#", "-q", "0", "-i", "burst-sub"], TextReader.Null, printed, subErr, limit.Token);

        // Ready once a probe gets through: the subscription is in force.
        while (!printed.Ready.IsCompleted)
        {
            await RunAsync("/usr/bin/mosquitto_pub", ["-h", "127.0.0.1", "-p", port, "-t", "burst/ready", "-m", "ready", "-q", "1"], null, limit.Token);
            await Task.WhenAny(printed.Ready, Task.Delay(TimeSpan.FromMilliseconds(200), limit.Token));
        }

        string lines = string.Join('\n', Enumerable.Range(0, Burst).Select(i => i.ToString(CultureInfo.InvariantCulture))) + "\n";
        var clock = Stopwatch.StartNew();
        await RunAsync("/usr/bin/mosquitto_pub", ["-h", "127.0.0.1", "-p", port, "-t", "burst/data", "-q", "0", "-l"], lines, limit.Token);
        await printed.All.WaitAsync(limit.Token);
        output.WriteLine($"{printed.Count} messages printed {clock.Elapsed.TotalSeconds:0.00} s after the burst began (mosquitto_pub itself takes well under a second)");
        limit.Cancel();
        await sub;

        Assert.Equal(Enumerable.Range(0, Burst).Select(i => i.ToString(CultureInfo.InvariantCulture)), printed.Data);
        Assert.DoesNotContain("drop", subErr.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    private static async Task RunAsync(string file, string[] arguments, string? input, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardInput = input is not null, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken);
            process.StandardInput.Close();
        }

        await process.WaitForExitAsync(cancellationToken);
    }

    /// <summary>An application slower than the network: a fixed amount of CPU work per printed line.</summary>
    private sealed class SlowLines(int expected) : TextWriter
    {
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<string> _data = [];

        public Task Ready => _ready.Task;

        public Task All => _all.Task;

        public int Count => _data.Count;

        public IReadOnlyList<string> Data
        {
            get
            {
                lock (_data)
                {
                    return [.. _data];
                }
            }
        }

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void WriteLine(string? value)
        {
            Thread.SpinWait(500);
            if (value == "ready")
            {
                _ready.TrySetResult();
                return;
            }

            lock (_data)
            {
                _data.Add(value ?? "");
                if (_data.Count == expected)
                {
                    _all.TrySetResult();
                }
            }
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
