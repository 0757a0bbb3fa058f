using System.Globalization;
using System.Text;

namespace StateMachineMqtt.PropertyTests.Simulation;

/// <summary>One thing that happened in a simulation, stamped with the virtual time it happened at.</summary>
public sealed record SimulationEvent(TimeSpan At, string Source, string Message)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"[{At.TotalMilliseconds,10:0.###} ms] {Source}: {Message}");
}

/// <summary>An ordered record of simulation events, for failure messages. Thread-safe; stamps events with virtual time.</summary>
public sealed class SimulationLog
{
    private readonly object _gate = new();
    private readonly List<SimulationEvent> _events = [];
    private readonly Func<TimeSpan> _now;

    /// <summary>Creates a log stamped by <paramref name="now"/> (virtual elapsed time).</summary>
    public SimulationLog(Func<TimeSpan> now)
    {
        _now = now;
    }

    /// <summary>Snapshot of the events so far, in order.</summary>
    public IReadOnlyList<SimulationEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Appends an event from <paramref name="source"/>.</summary>
    public void Add(string source, string message)
    {
        var entry = new SimulationEvent(_now(), source, message);
        lock (_gate)
        {
            _events.Add(entry);
        }
    }

    /// <summary>The last <paramref name="count"/> events, one per line.</summary>
    public string Tail(int count = 50)
    {
        IReadOnlyList<SimulationEvent> events = Events;
        var text = new StringBuilder();
        for (int i = Math.Max(0, events.Count - count); i < events.Count; i++)
        {
            text.AppendLine(events[i].ToString());
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Tail(int.MaxValue);
}
