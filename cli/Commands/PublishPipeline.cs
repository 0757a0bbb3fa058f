namespace StateMachineMqtt.Cli.Commands;

/// <summary>
/// Keeps up to <c>window</c> publishes in flight instead of awaiting each one: the client keeps them in order, so
/// waiting for the oldest when the window is full bounds memory without serialising round trips.
/// </summary>
internal sealed class PublishPipeline
{
    private readonly Func<ReadOnlyMemory<byte>, CancellationToken, Task> _publish;
    private readonly int _window;
    private readonly Queue<Task> _inFlight = new();

    /// <summary>Creates the pipeline around one publish call (topic, QoS and retain already bound).</summary>
    public PublishPipeline(Func<ReadOnlyMemory<byte>, CancellationToken, Task> publish, int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        _publish = publish;
        _window = window;
    }

    /// <summary>Publishes issued so far.</summary>
    public int Issued { get; private set; }

    /// <summary>Publishes completed (acknowledged, for QoS ≥ 1).</summary>
    public int Completed { get; private set; }

    /// <summary>Starts a publish, first waiting for the oldest one when the window is full. A failed publish throws here.</summary>
    public async Task AddAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        while (_inFlight.Count >= _window)
        {
            await CompleteOldestAsync().ConfigureAwait(false);
        }

        _inFlight.Enqueue(_publish(payload, cancellationToken));
        Issued++;
    }

    /// <summary>Waits for every publish still in flight.</summary>
    public async Task DrainAsync()
    {
        while (_inFlight.Count > 0)
        {
            await CompleteOldestAsync().ConfigureAwait(false);
        }
    }

    private async Task CompleteOldestAsync()
    {
        await _inFlight.Peek().ConfigureAwait(false);
        _ = _inFlight.Dequeue();
        Completed++;
    }
}
