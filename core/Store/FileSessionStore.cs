using System.Threading.Channels;
using StateMachineMqtt.Engine.Store;

namespace StateMachineMqtt.Store;

/// <summary>
/// The durable session store on disk: one append-only log, <c>session.log</c>, of checksummed records
/// (<see cref="SessionLogReader"/>) in a directory of its own. One writer task appends in order and makes records durable
/// under the flush policy: fsync per batch (EveryRecord: nothing is reported durable before its fsync), fsync every
/// interval (Batched), or none (OsDefault). When the log has grown past twice its last compacted size, the live records
/// are written to a new file, fsynced, renamed over the log and the directory fsynced, so a crash at any point leaves
/// either the old log or the new one whole. Recovery cuts off a torn or corrupt tail before anything is appended.
/// </summary>
internal sealed class FileSessionStore : ISessionStore
{
    /// <summary>The log's name inside the store directory.</summary>
    public const string LogName = "session.log";

    /// <summary>A compaction's new log before its rename; one left behind by a crash is discarded.</summary>
    public const string CompactingName = "session.log.compacting";

    private readonly string _directory;
    private readonly string _logPath;
    private readonly MqttStoreFlush _flush;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly long _compactMinimum;
    private readonly Channel<(SessionRecord Record, TaskCompletionSource? Durable)> _appends =
        Channel.CreateUnbounded<(SessionRecord, TaskCompletionSource?)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<TaskCompletionSource> _awaitingSync = [];
    private readonly SessionSnapshot _live = new(); // what the log means, kept current for compaction
    private FileStream? _file;
    private Task? _writer;
    private long _compactAt;
    private Exception? _fault;

    /// <param name="directory">Its directory (made if missing); one client's store, never shared by two processes.</param>
    /// <param name="flush">When records count as stored.</param>
    /// <param name="interval">Batched: how often the log is fsynced.</param>
    /// <param name="time">The clock that times Batched fsyncs.</param>
    /// <param name="compactMinimum">The log is not compacted below this size.</param>
    public FileSessionStore(string directory, MqttStoreFlush flush, TimeSpan interval, TimeProvider? time = null, long compactMinimum = 1 << 20)
    {
        _directory = Path.GetFullPath(directory);
        _logPath = Path.Combine(_directory, LogName);
        _flush = flush;
        _interval = interval;
        _time = time ?? TimeProvider.System;
        _compactMinimum = compactMinimum;
    }

    /// <summary>Records appended to the log (compactions not counted).</summary>
    public long Appended { get; private set; }

    /// <summary>fsyncs of the log.</summary>
    public long Syncs { get; private set; }

    /// <summary>Compactions done.</summary>
    public int Compactions { get; private set; }

    public SessionStoreRecovery Recover()
    {
        if (_file is not null)
        {
            throw new InvalidOperationException("A session store is recovered once, before anything is appended.");
        }

        Directory.CreateDirectory(_directory);
        string compacting = Path.Combine(_directory, CompactingName);
        if (File.Exists(compacting))
        {
            // A compaction that crashed before its rename: the old log is still whole and is the truth.
            File.Delete(compacting);
        }

        byte[] bytes = File.Exists(_logPath) ? File.ReadAllBytes(_logPath) : [];
        var snapshot = new SessionSnapshot();
        SessionLogRecovery read = SessionLogReader.Read(bytes, bytes.Length, snapshot);
        SessionLogReader.Read(bytes, read.ValidLength, _live);
        _file = new FileStream(_logPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16, FileOptions.None);
        if (read.DroppedBytes > 0)
        {
            // Cut the torn tail off before appending, or the next record would follow garbage and never be read back.
            _file.SetLength(read.ValidLength);
            _file.Flush(flushToDisk: true);
        }

        _file.Position = read.ValidLength;
        _compactAt = Math.Max(_compactMinimum, 2L * read.ValidLength);
        _writer = Task.Run(WriteAsync);
        return new SessionStoreRecovery(snapshot, read.Records, read.DroppedBytes);
    }

    public void Append(SessionRecord record, TaskCompletionSource? durable)
    {
        if (_file is null)
        {
            throw new InvalidOperationException("Recover the session store before appending to it.");
        }

        if (!_appends.Writer.TryWrite((record, durable)))
        {
            durable?.TrySetException(new ObjectDisposedException(nameof(FileSessionStore), "The session store was closed."));
        }
    }

    private async Task WriteAsync()
    {
        ChannelReader<(SessionRecord Record, TaskCompletionSource? Durable)> reader = _appends.Reader;
        long lastSync = _time.GetTimestamp();
        while (true)
        {
            bool more;
            if (_awaitingSync.Count > 0)
            {
                // Batched: wait for more records, but no longer than the next fsync is due.
                TimeSpan due = _interval - _time.GetElapsedTime(lastSync);
                if (due <= TimeSpan.Zero)
                {
                    Sync();
                    lastSync = _time.GetTimestamp();
                    continue;
                }

                using var timeout = new CancellationTokenSource(due, _time);
                try
                {
                    more = await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    continue;
                }
            }
            else
            {
                more = await reader.WaitToReadAsync().ConfigureAwait(false);
            }

            if (!more)
            {
                break;
            }

            List<TaskCompletionSource> written = [];
            try
            {
                while (reader.TryRead(out var item))
                {
                    if (_fault is not null)
                    {
                        item.Durable?.TrySetException(_fault);
                        continue;
                    }

                    byte[] framed = SessionLogReader.Frame(item.Record);
                    _file!.Write(framed, 0, framed.Length);
                    _live.Apply(item.Record);
                    Appended++;
                    if (item.Durable is not null)
                    {
                        written.Add(item.Durable);
                    }
                }

                if (_fault is not null)
                {
                    continue;
                }

                _file!.Flush(flushToDisk: false);
                switch (_flush)
                {
                    case MqttStoreFlush.EveryRecord:
                        _file.Flush(flushToDisk: true);
                        Syncs++;
                        Complete(written);
                        break;
                    case MqttStoreFlush.Batched:
                        _awaitingSync.AddRange(written);
                        if (_time.GetElapsedTime(lastSync) >= _interval)
                        {
                            Sync();
                            lastSync = _time.GetTimestamp();
                        }

                        break;
                    default:
                        Complete(written);
                        break;
                }

                if (_file.Length >= _compactAt)
                {
                    Compact();
                    Complete(_awaitingSync);
                    _awaitingSync.Clear();
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _fault = new IOException("The durable session store at " + _directory + " could not be written (" + e.Message + "); the message is held in memory only. Check the disk space and the directory's permissions.", e);
                foreach (TaskCompletionSource waiting in written.Concat(_awaitingSync))
                {
                    waiting.TrySetException(_fault);
                }

                _awaitingSync.Clear();
            }
        }

        if (_fault is null && _file is not null)
        {
            _file.Flush(flushToDisk: _flush != MqttStoreFlush.OsDefault);
            Complete(_awaitingSync);
            _awaitingSync.Clear();
        }
    }

    private void Sync()
    {
        _file!.Flush(flushToDisk: true);
        Syncs++;
        Complete(_awaitingSync);
        _awaitingSync.Clear();
    }

    private static void Complete(List<TaskCompletionSource> durable)
    {
        foreach (TaskCompletionSource waiting in durable)
        {
            waiting.TrySetResult();
        }
    }

    /// <summary>Writes the live records to a new file, fsyncs it, renames it over the log and fsyncs the directory.</summary>
    private void Compact()
    {
        string compacting = Path.Combine(_directory, CompactingName);
        using (var fresh = new FileStream(compacting, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            foreach (SessionRecord record in _live.LiveRecords())
            {
                byte[] framed = SessionLogReader.Frame(record);
                fresh.Write(framed, 0, framed.Length);
            }

            fresh.Flush(flushToDisk: true);
        }

        _file!.Dispose();
        File.Move(compacting, _logPath, overwrite: true);
        DirectorySync.Sync(_directory);
        _file = new FileStream(_logPath, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, 1 << 16, FileOptions.None);
        _file.Position = _file.Length;
        _compactAt = Math.Max(_compactMinimum, 2L * _file.Length);
        Compactions++;
    }

    public async ValueTask DisposeAsync()
    {
        _appends.Writer.TryComplete();
        if (_writer is not null)
        {
            await _writer.ConfigureAwait(false);
        }

        if (_file is not null)
        {
            await _file.DisposeAsync().ConfigureAwait(false);
        }
    }
}
