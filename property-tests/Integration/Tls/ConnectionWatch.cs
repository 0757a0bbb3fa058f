namespace StateMachineMqtt.PropertyTests.Integration.Tls;

/// <summary>Every ConnectionChanged of a client, kept, with a wait for the next one of a kind.</summary>
internal sealed class ConnectionWatch
{
    private readonly List<MqttConnectionEventArgs> _seen = [];
    private readonly List<(MqttConnectionChange Change, int Count, TaskCompletionSource Done)> _waits = [];

    public ConnectionWatch(MqttClient client) => client.ConnectionChanged += (_, e) => Add(e);

    public IReadOnlyList<MqttConnectionEventArgs> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>Completes once <paramref name="count"/> events of <paramref name="change"/> have been seen in all.</summary>
    public Task WaitForAsync(MqttConnectionChange change, int count, CancellationToken cancellationToken)
    {
        lock (_seen)
        {
            if (_seen.Count(e => e.Change == change) >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waits.Add((change, count, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    private void Add(MqttConnectionEventArgs e)
    {
        lock (_seen)
        {
            _seen.Add(e);
            foreach (var wait in _waits.Where(w => _seen.Count(s => s.Change == w.Change) >= w.Count).ToList())
            {
                _waits.Remove(wait);
                wait.Done.TrySetResult();
            }
        }
    }
}
