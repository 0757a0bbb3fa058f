namespace StateMachineMqtt.Cli.Demo;

/// <summary>
/// What happened to every message the demo published: acknowledged, failed, received (and how often). Messages carry a
/// sequence number, so loss, duplicates and reordering are counted exactly. Thread-safe.
/// </summary>
internal sealed class MessageLedger
{
    private readonly Lock _gate = new();
    private readonly HashSet<int> _acknowledged = [];
    private readonly Dictionary<int, int> _received = [];
    private readonly List<string> _failures = [];
    private int _published;
    private int _receivedTotal;
    private int _highestReceived = -1;
    private int _reordered;

    /// <summary>Takes the next sequence number (0, 1, 2…) for a message about to be published.</summary>
    public int NextSequence()
    {
        lock (_gate)
        {
            return _published++;
        }
    }

    /// <summary>PublishAsync completed: the broker sent PUBACK.</summary>
    public void Acknowledged(int sequence)
    {
        lock (_gate)
        {
            _acknowledged.Add(sequence);
        }
    }

    /// <summary>PublishAsync threw: the client gave up on the message (should never happen).</summary>
    public void Failed(int sequence, Exception error)
    {
        lock (_gate)
        {
            _failures.Add($"#{sequence}: {error.GetType().Name}: {error.Message}");
        }
    }

    /// <summary>The subscriber got message <paramref name="sequence"/>.</summary>
    public void Received(int sequence)
    {
        lock (_gate)
        {
            _receivedTotal++;
            _received[sequence] = _received.GetValueOrDefault(sequence) + 1;
            if (_received[sequence] == 1)
            {
                if (sequence < _highestReceived)
                {
                    _reordered++;
                }

                _highestReceived = Math.Max(_highestReceived, sequence);
            }
        }
    }

    /// <summary>A consistent copy of the counts.</summary>
    public LedgerSnapshot Snapshot()
    {
        lock (_gate)
        {
            int lost = _acknowledged.Count(s => !_received.ContainsKey(s));
            return new LedgerSnapshot(_published, _acknowledged.Count, _received.Count, _receivedTotal - _received.Count, _reordered, lost, [.. _failures]);
        }
    }
}

/// <summary>The ledger's counts at one moment.</summary>
/// <param name="Published">Messages handed to PublishAsync.</param>
/// <param name="Acknowledged">Messages whose PublishAsync completed (PUBACK received).</param>
/// <param name="Received">Distinct messages the subscriber got.</param>
/// <param name="Duplicates">Extra copies the subscriber got (QoS 1 is at least once).</param>
/// <param name="Reordered">Messages that arrived after a later one.</param>
/// <param name="Lost">Acknowledged messages the subscriber never got.</param>
/// <param name="Failures">PublishAsync errors.</param>
internal sealed record LedgerSnapshot(int Published, int Acknowledged, int Received, int Duplicates, int Reordered, int Lost, IReadOnlyList<string> Failures)
{
    /// <summary>Published but neither acknowledged nor failed yet.</summary>
    public int Pending => Published - Acknowledged - Failures.Count;
}
