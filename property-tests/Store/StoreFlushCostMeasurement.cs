using System.Diagnostics;
using StateMachineMqtt.Engine.Store;
using StateMachineMqtt.Store;
using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.Store;

/// <summary>
/// The cost of a durable message under each flush policy, for the report (not a bound under test): one message at a
/// time (append, wait until durable: the latency a PublishDurableAsync caller sees) and a burst (throughput, the writer
/// batching records into one fsync). Runs only with SMQTT_STORE_MEASURE=1; it checks that every record reads back.
/// </summary>
public sealed class StoreFlushCostMeasurement(ITestOutputHelper log)
{
    [Theory]
    [InlineData(MqttStoreFlush.EveryRecord)]
    [InlineData(MqttStoreFlush.Batched)]
    [InlineData(MqttStoreFlush.OsDefault)]
    public async Task Cost_per_durable_message(MqttStoreFlush flush)
    {
        if (Environment.GetEnvironmentVariable("SMQTT_STORE_MEASURE") != "1")
        {
            return; // a measurement, run on demand
        }

        string directory = Path.Combine(Path.GetTempPath(), "smqtt-measure-" + Guid.NewGuid().ToString("N"));
        const int One = 300;
        const int Burst = 5000;
        try
        {
            var store = new FileSessionStore(directory, flush, TimeSpan.FromMilliseconds(10), compactMinimum: long.MaxValue);
            store.Recover();
            var watch = Stopwatch.StartNew();
            for (int i = 1; i <= One; i++)
            {
                var durable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                store.Append(Record(i), durable);
                await durable.Task;
            }

            double oneAtATime = watch.Elapsed.TotalMicroseconds / One;
            watch.Restart();
            var all = new Task[Burst];
            for (int i = 0; i < Burst; i++)
            {
                var durable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                store.Append(Record(One + 1 + i), durable);
                all[i] = durable.Task;
            }

            await Task.WhenAll(all);
            double burst = watch.Elapsed.TotalMicroseconds / Burst;
            long syncs = store.Syncs;
            await store.DisposeAsync();
            log.WriteLine($"{flush}: one at a time {oneAtATime:0} µs per durable message; burst of {Burst}: {burst:0.0} µs per message; {syncs} fsyncs");

            var reopened = new FileSessionStore(directory, flush, TimeSpan.FromMilliseconds(10));
            Assert.Equal(One + Burst, reopened.Recover().Snapshot.Messages.Length);
            await reopened.DisposeAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static SessionRecord Record(long sequence) => new()
    {
        Kind = SessionRecordKind.MessageAccepted, Sequence = sequence, Qos = 1, Topic = "measure/t", Payload = new byte[64],
    };
}
