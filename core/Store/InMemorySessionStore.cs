using StateMachineMqtt.Engine.Store;

namespace StateMachineMqtt.Store;

/// <summary>
/// A session store in memory, framed exactly as the file log is: the simulation drops a client, keeps this, and builds the
/// next client from it, as a restarted process would from its directory. Every record is durable once appended.
/// </summary>
internal sealed class InMemorySessionStore : ISessionStore
{
    private readonly object _gate = new();
    private readonly MemoryStream _log = new();

    /// <summary>Records appended since it was made.</summary>
    public long Appended { get; private set; }

    /// <summary>The bytes stored so far (a copy), to tear or damage in a test.</summary>
    public byte[] Bytes()
    {
        lock (_gate)
        {
            return _log.ToArray();
        }
    }

    public SessionStoreRecovery Recover()
    {
        lock (_gate)
        {
            var snapshot = new SessionSnapshot();
            SessionLogRecovery read = SessionLogReader.Read(_log.GetBuffer(), (int)_log.Length, snapshot);
            _log.SetLength(read.ValidLength);
            _log.Position = read.ValidLength;
            return new SessionStoreRecovery(snapshot, read.Records, read.DroppedBytes);
        }
    }

    public void Append(SessionRecord record, TaskCompletionSource? durable)
    {
        byte[] framed = SessionLogReader.Frame(record);
        lock (_gate)
        {
            _log.Write(framed, 0, framed.Length);
            Appended++;
        }

        durable?.TrySetResult();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
