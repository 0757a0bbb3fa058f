using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using StateMachineMqtt.Cli;
using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.TestKit.Brokers;
using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.Store;

/// <summary>
/// The crash test of the durable store: <c>smqtt pub -q 1 -c -i ID --store DIR -l</c> as a process of its own publishes
/// numbered lines to Mosquitto and prints a number only once the store holds it; it is SIGKILLed at seeded moments (after
/// a seeded number of prints, 0 meaning during its start-up and recovery) and started again on the same directory, and
/// every number it ever printed must reach a persistent-session subscriber on the broker. The default run makes
/// <see cref="DefaultKills"/> kills (CI runs them); SMQTT_STORE_KILLS=10000 is the soak:
/// <c>SMQTT_STORE_KILLS=10000 dotnet test property-tests --filter FullyQualifiedName~StoreKillTests</c>.
/// </summary>
public sealed class StoreKillTests(ITestOutputHelper log)
{
    /// <summary>Kills in the default run.</summary>
    public const int DefaultKills = 100; // ~0.3 s per life on a quiet machine, most of it process start-up

    /// <summary>Set to a number of kills for a longer run, e.g. SMQTT_STORE_KILLS=10000.</summary>
    public const string KillsVariable = "SMQTT_STORE_KILLS";

    private const string Topic = "store/kill";
    private const int Seed = 1515;

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task Every_number_printed_as_stored_reaches_the_subscriber_across_SIGKILLs()
    {
        int kills = int.TryParse(Environment.GetEnvironmentVariable(KillsVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out int asked) && asked > 0 ? asked : DefaultKills;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120 + kills * 2)); // a safety net, not a bound under test
        await using var broker = await MosquittoBroker.StartAsync(limit.Token);
        string directory = Path.Combine(Path.GetTempPath(), "smqtt-kill-" + Guid.NewGuid().ToString("N"));
        var received = new ConcurrentDictionary<long, int>();
        var arrived = new SemaphoreSlim(0);

        await using var subscriber = new MqttClient(new MqttClientOptions
        {
            Server = "127.0.0.1", Port = broker.Port, ClientId = "store-kill-sub", CleanSession = false, KeepAlive = TimeSpan.FromSeconds(30),
        });
        await subscriber.ConnectAsync(limit.Token);
        await subscriber.SubscribeAsync(Topic, MqttQualityOfService.AtLeastOnce, limit.Token);
        Task reading = Task.Run(async () =>
        {
            await foreach (MqttMessage message in subscriber.ReadMessagesAsync(limit.Token))
            {
                received.AddOrUpdate(long.Parse(message.PayloadText, CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
                arrived.Release();
            }
        });

        var random = new Random(Seed);
        var printed = new ConcurrentDictionary<long, bool>();
        long next = 1;
        var watch = Stopwatch.StartNew();
        try
        {
            for (int life = 0; life <= kills; life++)
            {
                bool last = life == kills;
                int killAfter = last ? int.MaxValue : random.Next(0, 4) == 0 ? 0 : random.Next(1, 40);
                int batch = last ? 50 : random.Next(10, 60);
                using Process child = StartPublisher(broker.Port, directory);
                int printedThisLife = 0;
                var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                child.OutputDataReceived += (_, line) =>
                {
                    if (line.Data is { Length: > 0 } text)
                    {
                        printed[long.Parse(text, CultureInfo.InvariantCulture)] = true;
                        int count = Interlocked.Increment(ref printedThisLife);
                        if (count >= killAfter || count >= batch)
                        {
                            reached.TrySetResult();
                        }
                    }
                };
                var errors = new StringBuilder();
                child.ErrorDataReceived += (_, line) =>
                {
                    lock (errors)
                    {
                        errors.AppendLine(line.Data);
                    }
                };
                child.BeginOutputReadLine();
                child.BeginErrorReadLine();
                var lines = new StringBuilder();
                for (int i = 0; i < batch; i++)
                {
                    lines.Append(next++).Append('\n');
                }

                try
                {
                    await child.StandardInput.WriteAsync(lines.ToString());
                    await child.StandardInput.FlushAsync();
                }
                catch (IOException)
                {
                    // Killed so early that the pipe is gone: those numbers were never printed, so nothing is owed.
                }

                if (last)
                {
                    child.StandardInput.Close();
                    await child.WaitForExitAsync(limit.Token);
                    child.WaitForExit(); // the output handlers have seen every line
                    Assert.True(child.ExitCode == 0, $"the last run exited {child.ExitCode}: {errors}");
                    break;
                }

                if (killAfter > 0)
                {
                    // Killed once it has printed killAfter numbers, or when it has printed all it was given.
                    await Task.WhenAny(reached.Task, child.WaitForExitAsync(limit.Token));
                }

                child.Kill(); // SIGKILL
                await child.WaitForExitAsync(limit.Token);
            }

            // Every printed number must arrive; wait for them (the safety net bounds the wait).
            while (!printed.Keys.All(received.ContainsKey))
            {
                await arrived.WaitAsync(limit.Token);
            }
        }
        finally
        {
            log.WriteLine($"kills survived: {kills}; numbers written {next - 1}, printed as stored {printed.Count}, received {received.Count} "
                + $"(duplicates {received.Values.Sum(n => n - 1)}); {watch.Elapsed.TotalSeconds:0.0} s");
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        long[] lost = [.. printed.Keys.Where(n => !received.ContainsKey(n)).Order()];
        Assert.True(lost.Length == 0, $"printed as stored but never received: {string.Join(", ", lost.Take(20))}");
        Assert.True(printed.Count > kills, $"only {printed.Count} numbers were printed in {kills} lives: the test proved little");
        await subscriber.DisconnectAsync(limit.Token);
        _ = reading;
    }

    private static Process StartPublisher(int port, string directory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (string argument in new[]
        {
            StateMachineMqtt.PropertyTests.Cli.ClientProcesses.SmqttDll, "pub", "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-t", Topic,
            "-q", "1", "-c", "-i", "store-kill-pub", "--store", directory, "-l",
        })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("could not start smqtt");
    }
}
