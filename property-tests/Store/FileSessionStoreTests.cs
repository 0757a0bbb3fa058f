using FsCheck;
using FsCheck.Fluent;
using StateMachineMqtt.Engine.Store;
using StateMachineMqtt.PropertyTests.Fixtures.Seeds;
using StateMachineMqtt.Store;

namespace StateMachineMqtt.PropertyTests.Store;

/// <summary>
/// The file store: records survive closing and reopening under each flush policy and complete their durability only
/// then; a torn or damaged log recovers to the records before the damage, says how many bytes it dropped and appends
/// after the valid prefix; compaction keeps the live session and a compaction file left by a crash is discarded.
/// </summary>
public sealed class FileSessionStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "smqtt-store-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static SessionRecord Accepted(long sequence, string topic = "t", int payloadSize = 8) => new()
    {
        Kind = SessionRecordKind.MessageAccepted, Sequence = sequence, Qos = 1, Topic = topic, Payload = new byte[payloadSize],
    };

    private static SessionRecord Of(SessionRecordKind kind, long sequence, int packetId = 0) => new() { Kind = kind, Sequence = sequence, PacketId = packetId };

    private string LogPath => Path.Combine(_directory, FileSessionStore.LogName);

    [Theory]
    [InlineData(MqttStoreFlush.EveryRecord)]
    [InlineData(MqttStoreFlush.Batched)]
    [InlineData(MqttStoreFlush.OsDefault)]
    public async Task Records_are_durable_under_each_flush_policy_and_read_back_on_reopening(MqttStoreFlush flush)
    {
        var store = new FileSessionStore(_directory, flush, TimeSpan.FromMilliseconds(5));
        Assert.Equal(0, store.Recover().Records);
        var durable = new List<Task>();
        for (int i = 1; i <= 20; i++)
        {
            var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            store.Append(Accepted(i, "t/" + i), stored);
            durable.Add(stored.Task);
            if (i % 2 == 0)
            {
                store.Append(Of(SessionRecordKind.MessageSent, i, i), null);
            }
        }

        store.Append(Of(SessionRecordKind.MessageCompleted, 3), null);
        using var safety = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Task.WhenAll(durable).WaitAsync(safety.Token);
        Assert.True(flush == MqttStoreFlush.OsDefault ? store.Syncs == 0 : store.Syncs >= 1);
        await store.DisposeAsync();

        var reopened = new FileSessionStore(_directory, flush, TimeSpan.FromMilliseconds(5));
        SessionStoreRecovery recovery = reopened.Recover();
        await reopened.DisposeAsync();
        Assert.Equal((31, 0L), (recovery.Records, recovery.DroppedBytes));
        StoredMessage[] held = recovery.Snapshot.Messages;
        Assert.Equal(Enumerable.Range(1, 20).Where(i => i != 3).Select(i => "t/" + i), held.Select(m => m.Topic));
        Assert.All(held, m => Assert.Equal(m.Sequence % 2 == 0, m.Sent));
    }

    [Fact]
    public async Task A_torn_tail_is_cut_off_reported_and_the_next_record_follows_the_valid_prefix()
    {
        var store = new FileSessionStore(_directory, MqttStoreFlush.EveryRecord, TimeSpan.Zero);
        store.Recover();
        store.Append(Accepted(1), null);
        store.Append(Accepted(2), null);
        await store.DisposeAsync();
        long whole = new FileInfo(LogPath).Length;
        byte[] torn = SessionLogReader.Frame(Accepted(3, payloadSize: 40));
        await using (var file = new FileStream(LogPath, FileMode.Append))
        {
            file.Write(torn, 0, torn.Length - 7); // a crash mid-append
        }

        var reopened = new FileSessionStore(_directory, MqttStoreFlush.EveryRecord, TimeSpan.Zero);
        SessionStoreRecovery recovery = reopened.Recover();
        Assert.Equal((2, (long)torn.Length - 7), (recovery.Records, recovery.DroppedBytes));
        Assert.Equal(whole, new FileInfo(LogPath).Length);
        reopened.Append(Accepted(4), null);
        await reopened.DisposeAsync();

        var again = new FileSessionStore(_directory, MqttStoreFlush.EveryRecord, TimeSpan.Zero);
        SessionStoreRecovery second = again.Recover();
        await again.DisposeAsync();
        Assert.Equal([1L, 2L, 4L], second.Snapshot.Messages.Select(m => m.Sequence));
        Assert.Equal(0, second.DroppedBytes);
    }

    [Fact]
    public async Task Compaction_rewrites_only_the_live_records_and_a_left_over_compaction_file_is_discarded()
    {
        var store = new FileSessionStore(_directory, MqttStoreFlush.OsDefault, TimeSpan.Zero, compactMinimum: 4096);
        store.Recover();
        for (int i = 1; i <= 400; i++)
        {
            store.Append(Accepted(i, payloadSize: 32), null);
            if (i % 10 != 0)
            {
                store.Append(Of(SessionRecordKind.MessageCompleted, i), null);
            }
        }

        await store.DisposeAsync();
        Assert.True(store.Compactions >= 1, $"{store.Compactions} compactions");
        Assert.True(new FileInfo(LogPath).Length < 400 * 40, $"log is {new FileInfo(LogPath).Length} bytes");
        File.WriteAllBytes(Path.Combine(_directory, FileSessionStore.CompactingName), [1, 2, 3]);

        var reopened = new FileSessionStore(_directory, MqttStoreFlush.OsDefault, TimeSpan.Zero);
        SessionStoreRecovery recovery = reopened.Recover();
        await reopened.DisposeAsync();
        Assert.Equal(Enumerable.Range(1, 40).Select(i => i * 10L), recovery.Snapshot.Messages.Select(m => m.Sequence));
        Assert.Equal(0, recovery.DroppedBytes);
        Assert.False(File.Exists(Path.Combine(_directory, FileSessionStore.CompactingName)));
    }

    /// <summary>Random records of every kind, as a session might emit them.</summary>
    private static SessionRecord[] Records(int seed)
    {
        var random = new Random(seed);
        var records = new SessionRecord[random.Next(0, 30)];
        for (int i = 0; i < records.Length; i++)
        {
            var kind = (SessionRecordKind)random.Next(1, 9);
            var payload = new byte[random.Next(0, 40)];
            random.NextBytes(payload);
            records[i] = new SessionRecord
            {
                Kind = kind, Sequence = random.Next(1, 8), PacketId = random.Next(1, 65536), Qos = kind == SessionRecordKind.MessageAccepted ? random.Next(1, 3) : random.Next(0, 3),
                Retain = random.Next(2) == 1, Topic = "t/" + random.Next(5) + "/\u00e9\U0001F600", Payload = payload, Options = random.Next(64), Identifier = random.Next(100),
                TopicDigest = random.NextInt64(), PayloadDigest = random.NextInt64(), PayloadKnown = random.Next(2) == 1,
            };
        }

        return records;
    }

    /// <summary>What the first <paramref name="count"/> records mean, folded directly (no log).</summary>
    private static string Meaning(SessionRecord[] records, int count)
    {
        var snapshot = new SessionSnapshot();
        for (int i = 0; i < count; i++)
        {
            snapshot.Apply(records[i]);
        }

        return Describe(snapshot);
    }

    private static string Describe(SessionSnapshot s) =>
        string.Join(";", s.Messages.Select(m => $"{m.Sequence}:{m.Qos}:{m.Retain}:{m.Topic}:{Convert.ToHexString(m.Payload)}:{m.PacketId}:{m.Sent}:{m.PubRecReceived}"))
        + "|" + string.Join(";", s.Receipts.Select(r => $"{r.PacketId}:{r.TopicDigest}:{r.PayloadDigest}:{r.PayloadKnown}"))
        + "|" + string.Join(";", s.Subscriptions.Select(r => $"{r.Topic}:{r.Qos}:{r.Options}:{r.Identifier}"));

    private static (byte[] Log, int[] Ends) Write(SessionRecord[] records)
    {
        var log = new List<byte>();
        int[] ends = new int[records.Length];
        for (int i = 0; i < records.Length; i++)
        {
            log.AddRange(SessionLogReader.Frame(records[i]));
            ends[i] = log.Count;
        }

        return (log.ToArray(), ends);
    }

    [Fact]
    public void A_session_log_cut_at_any_offset_means_exactly_its_whole_records_before_the_cut()
    {
        Property property = Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), Gen.Choose(0, 100_000).ToArbitrary(), (seed, cutDraw) =>
        {
            SessionRecord[] records = Records(seed);
            (byte[] log, int[] ends) = Write(records);
            int cut = cutDraw % (log.Length + 1);
            var snapshot = new SessionSnapshot();
            SessionLogRecovery recovery = SessionLogReader.Read(log, cut, snapshot);
            int whole = ends.Count(e => e <= cut);
            return recovery.Records == whole && recovery.DroppedBytes == cut - (whole == 0 ? 0 : ends[whole - 1])
                && Describe(snapshot) == Meaning(records, whole);
        });
        TestSeeds.Check(property, 300);
    }

    [Fact]
    public void A_session_log_with_a_flipped_byte_replays_only_the_records_before_the_damage()
    {
        Property property = Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), Gen.Choose(0, 100_000).ToArbitrary(), Gen.Choose(1, 255).ToArbitrary(), (seed, at, mask) =>
        {
            SessionRecord[] records = Records(seed);
            (byte[] log, int[] ends) = Write(records);
            if (log.Length == 0)
            {
                return true;
            }

            int position = at % log.Length;
            log[position] ^= (byte)mask;
            var snapshot = new SessionSnapshot();
            SessionLogRecovery recovery = SessionLogReader.Read(log, log.Length, snapshot);
            int before = ends.Count(e => e <= position);
            return recovery.Records == before && Describe(snapshot) == Meaning(records, before) && recovery.DroppedBytes > 0;
        });
        TestSeeds.Check(property, 300);
    }

    [Fact]
    public void Every_record_kind_round_trips_through_the_codec()
    {
        foreach (SessionRecord record in Records(7).Concat(Records(8)).Concat(Records(9)))
        {
            SessionRecord? back = SessionRecordCodec.Decode(SessionRecordCodec.Encode(record));
            Assert.NotNull(back);
            Assert.Equal(record.Kind, back.Kind);
            var one = new SessionSnapshot();
            one.Apply(record);
            var other = new SessionSnapshot();
            other.Apply(back);
            Assert.Equal(Describe(one), Describe(other));
        }
    }
}
