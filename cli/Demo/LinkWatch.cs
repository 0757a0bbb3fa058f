namespace StateMachineMqtt.Cli.Demo;

/// <summary>Records one client's link going down and up (from ConnectionChanged), with times, and prints each change.</summary>
internal sealed class LinkWatch
{
    private readonly Lock _gate = new();
    private readonly List<(DateTimeOffset At, bool Up, string Reason)> _changes = [];
    private readonly TimeProvider _time;

    /// <summary>Starts watching <paramref name="client"/>; <paramref name="report"/> gets a line per change.</summary>
    public LinkWatch(string name, MqttClient client, TimeProvider time, Action<string> report)
    {
        ArgumentNullException.ThrowIfNull(client);
        Name = name;
        _time = time;
        client.ConnectionChanged += (_, e) =>
        {
            lock (_gate)
            {
                _changes.Add((_time.GetUtcNow(), e.IsConnected, e.Reason));
            }

            report(e.IsConnected ? $"{name} connected ({e.Reason})" : $"{name} link DOWN: {e.Reason}");
        };
    }

    /// <summary>"publisher" or "subscriber".</summary>
    public string Name { get; }

    /// <summary>Times the link went down.</summary>
    public int Outages
    {
        get
        {
            lock (_gate)
            {
                return _changes.Count(c => !c.Up);
            }
        }
    }

    /// <summary>When the link first went down after <paramref name="since"/>, if it has.</summary>
    public DateTimeOffset? FirstDownAfter(DateTimeOffset since) => First(since, up: false)?.At;

    /// <summary>The reason the client gave when the link first went down after <paramref name="since"/>, if it has.</summary>
    public string? FirstDownReasonAfter(DateTimeOffset since) => First(since, up: false)?.Reason;

    /// <summary>When the link came back up after going down after <paramref name="since"/>, if it has.</summary>
    public DateTimeOffset? UpAgainAfter(DateTimeOffset since) => FirstDownAfter(since) is { } down ? First(down, up: true)?.At : null;

    private (DateTimeOffset At, bool Up, string Reason)? First(DateTimeOffset since, bool up)
    {
        lock (_gate)
        {
            foreach (var change in _changes)
            {
                if (change.At >= since && change.Up == up)
                {
                    return change;
                }
            }

            return null;
        }
    }
}
