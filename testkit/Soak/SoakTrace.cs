namespace StateMachineMqtt.TestKit.Soak;

/// <summary>The last few hundred events of a run (faults, links up and down), kept for the report of a failed run. Thread-safe.</summary>
public sealed class SoakTrace
{
    private const int Capacity = 400;
    private readonly Queue<string> _lines = new();
    private readonly SoakTimeline _timeline;

    /// <summary>Stamps lines with the run's clock.</summary>
    public SoakTrace(SoakTimeline timeline) => _timeline = timeline;

    /// <summary>Adds one event.</summary>
    public void Add(string line)
    {
        string stamped = $"{_timeline.Now.TotalSeconds,8:0.000} {line}";
        lock (_lines)
        {
            if (_lines.Count == Capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(stamped);
        }
    }

    /// <summary>The events kept, oldest first.</summary>
    public IReadOnlyList<string> Lines()
    {
        lock (_lines)
        {
            return [.. _lines];
        }
    }
}
