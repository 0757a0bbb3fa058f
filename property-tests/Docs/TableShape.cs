using StateMachineMqtt.Machines;

namespace StateMachineMqtt.PropertyTests.Docs;

/// <summary>
/// Checks that a spec table is well-formed and returns every problem found, each saying what is wrong:
/// for each (state, trigger) either one unguarded row or one row per guard of exactly one mutually
/// exclusive family; no duplicate rows; every state reachable from the initial one; final states have
/// no rows and every other state a way out; every trigger, guard and effect used.
/// </summary>
internal static class TableShape
{
    public static List<string> Problems<TState, TTrigger, TGuard, TEffect>(
        IReadOnlyList<TableRow<TState, TTrigger, TGuard, TEffect>> rows,
        TState initial,
        IReadOnlyCollection<TState> finals,
        IReadOnlyList<TGuard[]> guardFamilies)
        where TState : struct, Enum
        where TTrigger : struct, Enum
        where TGuard : struct, Enum
        where TEffect : struct, Enum
    {
        var problems = new List<string>();
        CheckGuards(rows, guardFamilies, problems);
        CheckReachable(rows, initial, problems);
        CheckWayOut(rows, finals, problems);
        CheckUsed(rows.Select(r => r.Trigger), "trigger", problems);
        CheckUsed(rows.Select(r => r.Guard), "guard", problems);
        CheckUsed(rows.Select(r => r.Effect), "effect", problems);
        return problems;
    }

    private static void CheckGuards<TState, TTrigger, TGuard, TEffect>(
        IReadOnlyList<TableRow<TState, TTrigger, TGuard, TEffect>> rows, IReadOnlyList<TGuard[]> families, List<string> problems)
        where TState : struct, Enum
        where TTrigger : struct, Enum
        where TGuard : struct, Enum
        where TEffect : struct, Enum
    {
        foreach (var group in rows.GroupBy(r => (r.From, r.Trigger)))
        {
            string at = $"({group.Key.From}, {group.Key.Trigger})";
            TGuard[] guards = [.. group.Select(r => r.Guard)];
            foreach (var duplicate in guards.GroupBy(g => g).Where(g => g.Count() > 1))
            {
                problems.Add($"{at} has {duplicate.Count()} rows with guard {duplicate.Key}: duplicate rows.");
            }

            bool unguarded = guards.Any(g => EqualityComparer<TGuard>.Default.Equals(g, default));
            if (unguarded)
            {
                if (guards.Length > 1)
                {
                    problems.Add($"{at} mixes an unguarded row with other rows: more than one row would apply.");
                }

                continue;
            }

            TGuard[]? family = families.FirstOrDefault(f => f.Contains(guards[0]));
            if (family is null || !guards.All(family.Contains))
            {
                problems.Add($"{at} has guards [{string.Join(", ", guards)}], which are not all from one mutually exclusive family.");
            }
            else if (family.Except(guards).ToArray() is { Length: > 0 } missing)
            {
                problems.Add($"{at} does not cover guard(s) {string.Join(", ", missing)} of its family: no row would apply then.");
            }
        }
    }

    private static void CheckReachable<TState, TTrigger, TGuard, TEffect>(
        IReadOnlyList<TableRow<TState, TTrigger, TGuard, TEffect>> rows, TState initial, List<string> problems)
        where TState : struct, Enum
        where TTrigger : struct, Enum
        where TGuard : struct, Enum
        where TEffect : struct, Enum
    {
        var reached = new HashSet<TState> { initial };
        var frontier = new Queue<TState>([initial]);
        while (frontier.TryDequeue(out TState state))
        {
            foreach (var row in rows.Where(r => r.From.Equals(state)))
            {
                if (reached.Add(row.To))
                {
                    frontier.Enqueue(row.To);
                }
            }
        }

        foreach (TState state in Enum.GetValues<TState>().Where(s => !reached.Contains(s)))
        {
            problems.Add($"State {state} cannot be reached from the initial state {initial}.");
        }
    }

    private static void CheckWayOut<TState, TTrigger, TGuard, TEffect>(
        IReadOnlyList<TableRow<TState, TTrigger, TGuard, TEffect>> rows, IReadOnlyCollection<TState> finals, List<string> problems)
        where TState : struct, Enum
        where TTrigger : struct, Enum
        where TGuard : struct, Enum
        where TEffect : struct, Enum
    {
        foreach (TState state in Enum.GetValues<TState>())
        {
            bool isFinal = finals.Contains(state);
            bool hasRows = rows.Any(r => r.From.Equals(state));
            bool leaves = rows.Any(r => r.From.Equals(state) && !r.To.Equals(state));
            if (isFinal && hasRows)
            {
                problems.Add($"Final state {state} has rows: a final state handles no events.");
            }
            else if (!isFinal && !leaves)
            {
                problems.Add($"State {state} is not final but no row leads out of it: the machine would be stuck.");
            }
        }
    }

    private static void CheckUsed<TEnum>(IEnumerable<TEnum> used, string kind, List<string> problems)
        where TEnum : struct, Enum
    {
        var seen = used.ToHashSet();
        foreach (TEnum value in Enum.GetValues<TEnum>().Where(v => !seen.Contains(v)))
        {
            problems.Add($"The {kind} {typeof(TEnum).Name}.{value} is used by no row: remove it or add its rows.");
        }
    }
}
