using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using System.Diagnostics;
using System.Globalization;
using StateMachineMqtt.Cli;
using StateMachineMqtt.TestKit.Proxy;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using Xunit.Abstractions;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Integration;

/// <summary>
/// The Foundation issue's acceptance run: `smqtt pub -l -q 1 -c` fed 2,000 lines through a proxy that resets the link every
/// 300 ms delivers every line to a real `mosquitto_sub` on a real Mosquitto, then exits 0 — and at `-q 2` (#10) delivers
/// every line exactly once, though PUBLISHes, PUBRECs, PUBRELs and PUBCOMPs are cut in flight at every reset. Real sockets
/// and real time by nature.
/// </summary>
public sealed class PubLinesThroughResettingProxyTests(ITestOutputHelper output)
{
    private const int Lines = 2000;

    [RequiresToolsFact(Tool.Mosquitto, Tool.MosquittoClients)]
    public async Task Every_line_reaches_mosquitto_sub_and_pub_exits_0()
    {
        IReadOnlyList<string> all = await RunAsync(qos: 1);
        Assert.True(all.Count >= Lines, $"{all.Count} lines for {Lines} sent"); // at least once: re-deliveries may repeat some
    }

    [RequiresToolsTheory(Tool.Mosquitto, Tool.MosquittoClients)]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")] // the MQTT 5 issue's "done when": pub -V mqttv5 -q 2 -l through the resetting proxy
    public async Task At_QoS_2_every_line_reaches_mosquitto_sub_exactly_once_and_pub_exits_0(string version)
    {
        IReadOnlyList<string> all = await RunAsync(qos: 2, version);
        var twice = all.GroupBy(l => l).Where(g => g.Count() > 1).Select(g => $"{g.Key} ×{g.Count()}").ToList();
        Assert.True(twice.Count == 0, $"{twice.Count} lines arrived more than once, e.g. {string.Join(", ", twice.Take(5))}");
        Assert.Equal(Lines, all.Count);
    }

    /// <summary>Runs the acceptance at <paramref name="qos"/> and returns every line mosquitto_sub printed, repeats included.</summary>
    private async Task<IReadOnlyList<string>> RunAsync(int qos, string version = "mqttv311")
    {
        string level = qos.ToString(CultureInfo.InvariantCulture);
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var broker = await MosquittoBroker.StartAsync(limit.Token);
        await using var proxy = FaultProxy.Start("127.0.0.1", broker.Port);
        using var subscriber = await MosquittoSub.StartAsync(broker.Port, "acceptance/lines", level, limit.Token);

        string input = string.Join('\n', Enumerable.Range(0, Lines).Select(i => $"line-{i}"));
        using var pubErr = new StringWriter();
        using var resets = new PeriodicTimer(TimeSpan.FromMilliseconds(300));
        int resetCount = 0;
        // The client publishes 2,000 lines faster than one 300 ms period, so also reset after every 150th PUBLISH:
        // the run must cross many resets, each cutting PUBLISHes and PUBACKs in flight.
        int forwarded = 0;
        proxy.PacketForwarded += (_, direction, frame) =>
        {
            if (direction == ProxyDirection.ClientToBroker && frame.Type == StateMachineMqtt.Protocol.MqttPacketType.Publish && Interlocked.Increment(ref forwarded) % 150 == 0)
            {
                ThreadPool.QueueUserWorkItem(_ =>
                {
                    proxy.ResetAll();
                    Interlocked.Increment(ref resetCount);
                });
            }
        };
        Task<int> pub = CliApp.RunAsync(
            ["pub", "-h", "127.0.0.1", "-p", proxy.Port.ToString(CultureInfo.InvariantCulture), "-t", "acceptance/lines", "-l", "-q", level, "-c", "-i", "acceptance-pub", "-k", "5", "-V", version],
            new StringReader(input), TextWriter.Null, pubErr);
        while (!pub.IsCompleted && await resets.WaitForNextTickAsync(limit.Token))
        {
            proxy.ResetAll();
            Interlocked.Increment(ref resetCount);
        }

        Assert.True(0 == await pub, "smqtt pub failed: " + pubErr);
        IReadOnlyList<string> received = await subscriber.WaitForDistinctAsync(Lines, limit.Token);
        var missing = Enumerable.Range(0, Lines).Select(i => $"line-{i}").Except(received).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} lines never arrived{(limit.IsCancellationRequested ? " (hung: the 3 min guard ran out)" : "")}, e.g. {string.Join(", ", missing.Take(5))}; {resetCount} resets");
        Assert.False(limit.IsCancellationRequested, $"Hung: the wait for {Lines} distinct lines ran into the 3 min guard");
        output.WriteLine($"{resetCount} resets, {proxy.ConnectionsAccepted} connections through the proxy, {received.Count} distinct lines received");
        output.WriteLine(pubErr.ToString());
        Assert.True(proxy.ConnectionsAccepted >= 10, $"only {proxy.ConnectionsAccepted} connections: the resets did not interrupt the run enough to prove anything");
        return subscriber.Payloads();
    }

    /// <summary>A real mosquitto_sub process at a given QoS, printing payloads one per line.</summary>
    private sealed class MosquittoSub : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines = [];
        private readonly HashSet<string> _distinct = []; // payloads but the ready probe
        private readonly object _gate = new();
        private (int Count, TaskCompletionSource Reached)? _waiter;

        private MosquittoSub(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    lock (_gate)
                    {
                        _lines.Add(line);
                        if (line != "ready" && _distinct.Add(line) && _waiter is { } w && _distinct.Count >= w.Count)
                        {
                            w.Reached.TrySetResult();
                        }
                    }
                }
            };
            _process.BeginOutputReadLine();
        }

        public static async Task<MosquittoSub> StartAsync(int port, string topic, string qos, CancellationToken cancellationToken)
        {
            var start = new ProcessStartInfo(ToolRequirements.MosquittoSubPath)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in new[] { "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-t", topic, "-t", topic + "/ready", "-q", qos, "-i", "acceptance-sub" })
            {
                start.ArgumentList.Add(arg);
            }

            var sub = new MosquittoSub(Process.Start(start)!);
            // Subscribed once a probe on the ready topic comes through: publishing earlier could race the SUBSCRIBE.
            await using var probe = new MqttClient(new MqttClientOptions { ClientId = "acceptance-probe", Server = "127.0.0.1", Port = port });
            await probe.ConnectAsync(cancellationToken);
            using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
            while (!sub.Contains("ready") && await poll.WaitForNextTickAsync(cancellationToken))
            {
                await probe.PublishAsync(topic + "/ready", "ready", cancellationToken: cancellationToken);
            }

            return sub;
        }

        /// <summary>
        /// Completes once <paramref name="count"/> distinct lines have been read (an event, not a poll), with them. If the hang
        /// guard <paramref name="cancellationToken"/> fires first, returns what arrived, for the caller to report as missing.
        /// </summary>
        public async Task<IReadOnlyList<string>> WaitForDistinctAsync(int count, CancellationToken cancellationToken)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                _waiter = (count, reached);
                if (_distinct.Count >= count)
                {
                    reached.TrySetResult();
                }
            }

            try
            {
                await reached.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Hung: the caller's assertion names the lines that never came.
            }

            lock (_gate)
            {
                return [.. _distinct];
            }
        }

        /// <summary>Every payload printed so far, repeats included, but the ready probes.</summary>
        public IReadOnlyList<string> Payloads()
        {
            lock (_gate)
            {
                return [.. _lines.Where(l => l != "ready")];
            }
        }

        private bool Contains(string line)
        {
            lock (_gate)
            {
                return _lines.Contains(line);
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit();
            }

            _process.Dispose();
        }
    }
}
