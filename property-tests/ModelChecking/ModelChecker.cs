using System.Diagnostics;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>
/// Exhaustive breadth-first exploration of the composed system (<see cref="Composition"/> over the given tables), with
/// 64-bit state hashing, to a depth; then the liveness check (<see cref="LivenessChecker"/>) on what was reached.
/// </summary>
public sealed class ModelChecker
{
    private readonly Composition _composition;
    private readonly List<ulong> _states = [];
    private readonly List<int> _parent = [];
    private readonly List<int> _event = [];
    private readonly Dictionary<ulong, int> _index = [];

    /// <summary>A checker over <paramref name="tables"/> (a mutated copy in mutation tests).</summary>
    public ModelChecker(ModelTables tables, ModelOptions? options = null)
    {
        Options = options ?? new ModelOptions();
        Options.Validate();
        Tables = tables;
        _composition = new Composition(tables, Options);
    }

    /// <summary>The tables checked.</summary>
    public ModelTables Tables { get; }

    /// <summary>The model's bounds.</summary>
    public ModelOptions Options { get; }

    /// <summary>Explores to <paramref name="maxDepth"/> events from the initial state, stopping at the first violation.</summary>
    public CheckReport Run(int maxDepth, bool checkLiveness = true)
    {
        var clock = Stopwatch.StartNew();
        ulong initial = SystemState.Initial.Encode();
        AddState(initial, -1, -1);
        var enabled = new List<ModelEvent>();
        long transitions = 0;
        int depth = 0;
        int levelStart = 0;
        while (depth < maxDepth && levelStart < _states.Count)
        {
            int levelEnd = _states.Count;
            for (int at = levelStart; at < levelEnd; at++)
            {
                SystemState s = SystemState.Decode(_states[at]);
                enabled.Clear();
                _composition.Enabled(s, enabled);
                foreach (ModelEvent e in enabled)
                {
                    transitions++;
                    var (next, violation) = _composition.Apply(s, e);
                    if (violation is not null)
                    {
                        return new CheckReport
                        {
                            StatesExplored = _states.Count, Transitions = transitions, Depth = depth, SafetyTime = clock.Elapsed,
                            Violation = violation, Trace = Replay([.. PathTo(at), e.Code]),
                        };
                    }

                    ulong code = next.Encode();
                    if (!_index.ContainsKey(code))
                    {
                        AddState(code, at, e.Code);
                    }
                }
            }

            levelStart = levelEnd;
            depth++;
        }

        var report = new CheckReport
        {
            StatesExplored = _states.Count, Transitions = transitions, Depth = depth, Exhaustive = levelStart == _states.Count, SafetyTime = clock.Elapsed,
        };
        return checkLiveness ? new LivenessChecker(_composition, this).Check(report) : report;
    }

    /// <summary>The reached states (encoded), in breadth-first order.</summary>
    internal IReadOnlyList<ulong> States => _states;

    /// <summary>The events leading from the initial state to reached state <paramref name="at"/>.</summary>
    internal List<int> PathTo(int at)
    {
        var path = new List<int>();
        for (int i = at; _parent[i] >= 0; i = _parent[i])
        {
            path.Add(_event[i]);
        }

        path.Reverse();
        return path;
    }

    /// <summary>Replays events from the initial state, one line per event with the rows taken and the state reached.</summary>
    internal List<string> Replay(IEnumerable<int> events)
    {
        var lines = new List<string> { $"   initial: {SystemState.Initial}" };
        SystemState s = SystemState.Initial;
        int step = 0;
        foreach (int code in events)
        {
            var e = ModelEvent.FromCode(code);
            var rows = new List<string>();
            var (next, violation) = _composition.Apply(s, e, rows);
            lines.Add($"{++step,4}. {e}{(rows.Count > 0 ? "  [" + string.Join("; ", rows) + "]" : "")}");
            lines.Add($"         -> {next}{(violation is null ? "" : "  <-- " + violation)}");
            s = next;
        }

        return lines;
    }

    private void AddState(ulong code, int parent, int eventCode)
    {
        _index.Add(code, _states.Count);
        _states.Add(code);
        _parent.Add(parent);
        _event.Add(eventCode);
    }
}
