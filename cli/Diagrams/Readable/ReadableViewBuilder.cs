using Stateless.Reflection;

namespace StateMachineMqtt.Cli.Diagrams.Readable;

/// <summary>
/// Turns a machine's transitions into its <see cref="ReadableView"/>. Three rules, each computed from the transitions alone:
/// <list type="number">
/// <item>Common: a trigger with the same guard, effect and destination (or "stays") that at least <see cref="MinCommonSources"/>
/// states would draw (as an arrow to that destination, or as a box line for "stays"), missing from at most
/// <see cref="MaxCommonExceptions"/> states that are not final, is listed once in a note.
/// Destinations are grouped first, so "Disconnect → Closed" absorbs Closed's own Disconnect self-loop.</item>
/// <item>Stays: every other self-loop is listed inside its state's box.</item>
/// <item>Edges: the rest are merged per (from, to, failure or not): at most two edges between two states, one solid and one
/// dashed, each labelled with all its triggers.</item>
/// </list>
/// The main path is the longest chain of non-failure edges from the initial state (the first found, in table order, on a tie).
/// </summary>
internal static class ReadableViewBuilder
{
    /// <summary>Fewest states that must draw a shared transition (arrow, or box line for "stays") before it moves to the note.</summary>
    public const int MinCommonSources = 3;

    /// <summary>Most non-final states that may lack a transition that still moves to the note (the note names them).</summary>
    public const int MaxCommonExceptions = 2;

    /// <summary>The readable view of a Stateless machine.</summary>
    public static ReadableView Build(StateMachineInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        string initial = info.InitialState.UnderlyingState.ToString() ?? "";
        return Build(initial, [.. info.States.Select(s => s.UnderlyingState.ToString() ?? "")], DiagramTransition.Read(info));
    }

    /// <summary>The readable view of the machine with these states (in order) and transitions.</summary>
    public static ReadableView Build(string initial, IReadOnlyList<string> states, IReadOnlyList<DiagramTransition> transitions)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(transitions);
        var final = states.Where(s => !transitions.Any(t => t.From == s && !t.IsSelfLoop)).ToHashSet(StringComparer.Ordinal);
        var live = states.Where(s => !final.Contains(s)).ToList();

        var remaining = transitions.ToList();
        var common = new List<CommonTransition>();
        TakeCommon(remaining, common, states, live, t => t.To, selfOnly: false);
        TakeCommon(remaining, common, states, live, _ => null, selfOnly: true);

        var edges = remaining
            .Where(t => !t.IsSelfLoop)
            .GroupBy(t => (t.From, t.To, t.IsFailure))
            .Select(g => new ReadableEdge(g.Key.From, g.Key.To, g.Key.IsFailure, OnMainPath: false, [.. g]))
            .ToList();

        var mainPath = LongestPath(initial, edges.Where(e => !e.IsFailure).ToList());
        var mainSteps = mainPath.Zip(mainPath.Skip(1)).ToHashSet();
        edges = [.. edges.Select(e => e with { OnMainPath = !e.IsFailure && mainSteps.Contains((e.From, e.To)) })];

        var readableStates = states
            .Select(s => new ReadableState(s, [.. remaining.Where(t => t.IsSelfLoop && t.From == s)], final.Contains(s), mainPath.Contains(s)))
            .ToList();
        return new ReadableView(initial, readableStates, edges, common, mainPath);
    }

    private static void TakeCommon(
        List<DiagramTransition> remaining, List<CommonTransition> common, IReadOnlyList<string> states, List<string> live,
        Func<DiagramTransition, string?> destination, bool selfOnly)
    {
        var groups = remaining
            .Where(t => !selfOnly || t.IsSelfLoop)
            .GroupBy(t => (t.Trigger, t.Guard, t.Effect, To: destination(t)))
            .ToList();
        foreach (var group in groups)
        {
            var sources = group.Select(t => t.From).Distinct(StringComparer.Ordinal).ToList();
            var missing = live.Where(s => !sources.Contains(s, StringComparer.Ordinal)).ToList();
            // A state with two rows of the group (impossible for one trigger, guard and destination) would be drawn once: keep it drawn.
            // Only worth a note line when it replaces at least MinCommonSources drawn things: arrows for a destination, box lines for "stays".
            int replaced = selfOnly ? group.Count() : group.Count(t => !t.IsSelfLoop);
            if (replaced < MinCommonSources || missing.Count > MaxCommonExceptions || sources.Count != group.Count())
            {
                continue;
            }

            var first = group.First();
            common.Add(new CommonTransition(
                first.Trigger, first.Guard, first.Effect, group.Key.To, sources,
                [.. states.Where(s => !sources.Contains(s, StringComparer.Ordinal))], first.IsFailure));
            remaining.RemoveAll(group.Contains);
        }
    }

    private static List<string> LongestPath(string initial, List<ReadableEdge> edges)
    {
        var best = new List<string> { initial };
        var path = new List<string> { initial };

        void Walk(string state)
        {
            if (path.Count > best.Count)
            {
                best = [.. path];
            }

            foreach (var edge in edges.Where(e => e.From == state && !path.Contains(e.To)))
            {
                path.Add(edge.To);
                Walk(edge.To);
                path.RemoveAt(path.Count - 1);
            }
        }

        Walk(initial);
        return best;
    }
}
