using System.Diagnostics;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>
/// I6 under weak fairness. From every reached state whose environment is healthy, the graph of events that keep it healthy
/// and leave the application quiet (no faults, no publish / cancel / disconnect; ConnectAsync stays, as an application
/// told of a failure repeats it) is closed and split into strongly connected components. A component in which a weakly fair
/// scheduler can stay forever (every fair event enabled throughout it is also taken inside it) must contain a Connected state
/// and must hold no message; a state with no way on must be connected and hold nothing.
/// </summary>
internal sealed class LivenessChecker(Composition composition, ModelChecker checker)
{
    private readonly Dictionary<ulong, int> _index = [];
    private readonly List<ulong> _states = [];
    private readonly List<int> _parent = []; // liveness parent, or -(reached index + 1) for a root
    private readonly List<int> _event = [];
    private readonly List<int> _edgeStart = [];
    private readonly List<int> _edgeTarget = [];
    private readonly List<int> _edgeEvent = [];

    public CheckReport Check(CheckReport safety)
    {
        var clock = Stopwatch.StartNew();
        for (int r = 0; r < checker.States.Count; r++)
        {
            if (SystemState.Decode(checker.States[r]).Healthy && !_index.ContainsKey(checker.States[r]))
            {
                Add(checker.States[r], -(r + 1), -1);
            }
        }

        var enabled = new List<ModelEvent>();
        for (int at = 0; at < _states.Count; at++)
        {
            SystemState s = SystemState.Decode(_states[at]);
            enabled.Clear();
            composition.Enabled(s, enabled);
            _edgeStart.Add(_edgeTarget.Count);
            foreach (ModelEvent e in enabled)
            {
                if (!e.InLivenessGraph)
                {
                    continue;
                }

                var (next, violation) = composition.Apply(s, e);
                if (violation is not null)
                {
                    return safety with { Violation = violation, Trace = checker.Replay([.. PathTo(at), e.Code]), LivenessTime = clock.Elapsed };
                }

                ulong code = next.Encode();
                if (!_index.TryGetValue(code, out int target))
                {
                    target = Add(code, at, e.Code);
                }

                _edgeTarget.Add(target);
                _edgeEvent.Add(e.Code);
            }
        }

        _edgeStart.Add(_edgeTarget.Count);
        var report = safety with { LivenessStates = _states.Count, LivenessEdges = _edgeTarget.Count };
        return Components(report) with { LivenessTime = clock.Elapsed };
    }

    private CheckReport Components(CheckReport report)
    {
        long cyclic = 0, fair = 0;
        foreach (int[] component in new Tarjan(_states.Count, _edgeStart, _edgeTarget).Components())
        {
            int first = component[0];
            bool stuck = _edgeStart[first + 1] == _edgeStart[first];
            if (stuck)
            {
                if (Bad(component) is { } problem)
                {
                    return report with { Violation = new Violation("I6", $"no event can happen, yet {problem}"), Trace = checker.Replay(PathTo(first)) };
                }

                continue;
            }

            var members = new HashSet<int>(component);
            if (component.Length == 1 && !Successors(first).Any(t => t.Target == first))
            {
                continue; // no cycle
            }

            cyclic++;
            if (!IsFair(component, members))
            {
                continue;
            }

            fair++;
            if (Bad(component) is { } bad)
            {
                List<int> stem = PathTo(first);
                List<int> cycle = CycleThrough(first, members);
                var trace = checker.Replay([.. stem, .. cycle]);
                trace.Insert(1 + (2 * stem.Count), $"   --- cycle of {cycle.Count} events (a fair scheduler can repeat it; {component.Length} states in its component) ---");
                return report with { Violation = new Violation("I6", $"with the network and broker healthy a fair run can stay forever where {bad}"), Trace = trace, CyclicComponents = cyclic, FairComponents = fair };
            }
        }

        return report with { CyclicComponents = cyclic, FairComponents = fair };
    }

    /// <summary>Why staying in the component forever breaks I6, or null.</summary>
    private string? Bad(int[] component)
    {
        bool everConnected = false;
        bool alwaysHolding = true;
        foreach (int n in component)
        {
            SystemState s = SystemState.Decode(_states[n]);
            everConnected |= s.Connection == ConnectionState.Connected;
            alwaysHolding &= s.Count > 0;
        }

        return !everConnected ? "the client is never connected" : alwaysHolding ? "a held message is never acknowledged" : null;
    }

    /// <summary>Weak fairness: every fair event enabled in all states of the component is taken inside it.</summary>
    private bool IsFair(int[] component, HashSet<int> members)
    {
        HashSet<int>? alwaysEnabled = null;
        var takenInside = new HashSet<int>();
        foreach (int n in component)
        {
            var fairHere = new HashSet<int>();
            foreach (var (target, code) in Successors(n))
            {
                if (ModelEvent.FromCode(code).IsFair)
                {
                    fairHere.Add(code);
                    if (members.Contains(target))
                    {
                        takenInside.Add(code);
                    }
                }
            }

            if (alwaysEnabled is null)
            {
                alwaysEnabled = fairHere;
            }
            else
            {
                alwaysEnabled.IntersectWith(fairHere);
            }
        }

        return alwaysEnabled!.IsSubsetOf(takenInside);
    }

    private IEnumerable<(int Target, int Code)> Successors(int n)
    {
        for (int k = _edgeStart[n]; k < _edgeStart[n + 1]; k++)
        {
            yield return (_edgeTarget[k], _edgeEvent[k]);
        }
    }

    /// <summary>A shortest cycle from <paramref name="start"/> back to itself inside the component.</summary>
    private List<int> CycleThrough(int start, HashSet<int> members)
    {
        var back = new Dictionary<int, (int From, int Code)>();
        var queue = new Queue<int>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            int n = queue.Dequeue();
            foreach (var (target, code) in Successors(n))
            {
                if (!members.Contains(target) || back.ContainsKey(target))
                {
                    continue;
                }

                back[target] = (n, code);
                if (target == start)
                {
                    var cycle = new List<int>();
                    for (int at = start; ; )
                    {
                        var (from, c) = back[at];
                        cycle.Add(c);
                        at = from;
                        if (at == start)
                        {
                            break;
                        }
                    }

                    cycle.Reverse();
                    return cycle;
                }

                queue.Enqueue(target);
            }
        }

        return [];
    }

    private List<int> PathTo(int n)
    {
        var tail = new List<int>();
        for (; _parent[n] >= 0; n = _parent[n])
        {
            tail.Add(_event[n]);
        }

        tail.Reverse();
        return [.. checker.PathTo(-_parent[n] - 1), .. tail];
    }

    private int Add(ulong code, int parent, int eventCode)
    {
        _index.Add(code, _states.Count);
        _states.Add(code);
        _parent.Add(parent);
        _event.Add(eventCode);
        return _states.Count - 1;
    }
}
