using System.Diagnostics;

namespace StateMachineMqtt.Verification.ModelChecking;

/// <summary>
/// I6 (and I7's calls) under weak fairness. From every reached state whose network and broker are up, the graph of events
/// that keep them up and leave the application quiet (no faults, no publish / cancel / disconnect; ConnectAsync stays,
/// as an application told of a failure repeats it) is closed and split into strongly connected components (Tarjan). A
/// component a weakly fair scheduler can stay in forever (every fair event enabled throughout it is also taken inside it)
/// must contain a Connected state, must not hold a message throughout, and must not keep a ConnectAsync or DisconnectAsync
/// call waiting throughout; a state with no way on must be connected and hold nothing. A failure prints the stem and
/// the cycle (a lasso). The edges from states the safety search expanded were recorded by it; states it left at its
/// depth bound are expanded here, under the liveness graph's events only, until the graph is closed.
/// </summary>
internal sealed class LivenessChecker(ModelChecker checker)
{
    private int[] _edgeStart = [];
    private int[] _edgeTarget = [];
    private int[] _edgeCode = [];

    public CheckReport Check(CheckReport safety, List<(int At, World World)> unexpanded)
    {
        var clock = Stopwatch.StartNew();
        var enabled = new List<ModelEvent>();
        var queue = new Queue<(int At, World World)>(unexpanded);
        var added = new List<World?>();
        while (queue.Count > 0)
        {
            var (at, world) = queue.Dequeue();
            enabled.Clear();
            world.Enabled(enabled);
            enabled.RemoveAll(e => !e.InLivenessGraph);
            for (int j = 0; j < enabled.Count; j++)
            {
                ModelEvent e = enabled[j];
                World child = checker.ChildFor(world, e, j == enabled.Count - 1);
                if (child.Apply(e) is { } violation)
                {
                    return checker.Failed(safety with { LivenessTime = clock.Elapsed }, violation, [.. checker.PathTo(at), e.Code]);
                }

                added.Clear();
                int target = checker.Reached(child, at, e, added);
                if (added.Count > 0)
                {
                    queue.Enqueue((target, added[0]!));
                }

                checker.Edges.Add((at, target, e.Code));
            }
        }

        BuildGraph();
        var report = safety with { LivenessStates = CountHealthy(), LivenessEdges = _edgeTarget.Length };
        return Components(report) with { LivenessTime = clock.Elapsed };
    }

    /// <summary>The edges in CSR form over the reached states.</summary>
    private void BuildGraph()
    {
        int nodes = checker.Flags.Count;
        _edgeStart = new int[nodes + 1];
        foreach (var (from, _, _) in checker.Edges)
        {
            _edgeStart[from + 1]++;
        }

        for (int i = 0; i < nodes; i++)
        {
            _edgeStart[i + 1] += _edgeStart[i];
        }

        int[] fill = (int[])_edgeStart.Clone();
        _edgeTarget = new int[checker.Edges.Count];
        _edgeCode = new int[checker.Edges.Count];
        foreach (var (from, to, code) in checker.Edges)
        {
            int k = fill[from]++;
            _edgeTarget[k] = to;
            _edgeCode[k] = code;
        }
    }

    private long CountHealthy() => checker.Flags.Count(f => f.HasFlag(StateFlags.Healthy));

    private CheckReport Components(CheckReport report)
    {
        long cyclic = 0, fair = 0;
        foreach (int[] component in new Tarjan(checker.Flags.Count, _edgeStart, _edgeTarget).Components())
        {
            int first = component[0];
            if (!checker.Flags[first].HasFlag(StateFlags.Healthy))
            {
                continue; // not in the liveness graph
            }

            if (_edgeStart[first + 1] == _edgeStart[first])
            {
                if (Bad(component) is { } problem)
                {
                    return checker.Failed(report, new Violation(problem.Invariant, $"no event can happen, yet {problem.Why}"), checker.PathTo(first));
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
                List<int> stem = checker.PathTo(first);
                List<int> cycle = CycleThrough(first, members);
                string note = $"cycle of {cycle.Count} events (a fair scheduler can repeat it; {component.Length} states in its component)";
                return checker.Failed(report with { CyclicComponents = cyclic, FairComponents = fair },
                    new Violation(bad.Invariant, $"with the network and broker healthy a fair run can stay forever where {bad.Why}"), [.. stem, .. cycle], stem.Count, note);
            }
        }

        return report with { CyclicComponents = cyclic, FairComponents = fair };
    }

    /// <summary>Why staying in the component forever breaks I6 (or I7), or null.</summary>
    private (string Invariant, string Why)? Bad(int[] component)
    {
        StateFlags any = StateFlags.None;
        StateFlags all = (StateFlags)0xff;
        foreach (int n in component)
        {
            any |= checker.Flags[n];
            all &= checker.Flags[n];
        }

        return !any.HasFlag(StateFlags.Connected) ? ("I6", "the client is never connected")
            : all.HasFlag(StateFlags.Holding) ? ("I6", "a held message is never acknowledged")
            : all.HasFlag(StateFlags.ConnectPending) ? ("I7", "a ConnectAsync call never completes")
            : all.HasFlag(StateFlags.DisconnectPending) ? ("I7", "a DisconnectAsync call never completes")
            : null;
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
            yield return (_edgeTarget[k], _edgeCode[k]);
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
                    for (int at = start; ;)
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
}
