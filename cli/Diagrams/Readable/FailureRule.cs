namespace StateMachineMqtt.Cli.Diagrams.Readable;

/// <summary>
/// Which transitions the readable view draws as failure paths (dashed, red). spec/ does not mark failures, so this is a
/// rule on names, not a list of rows: a transition is a failure when its trigger, guard, effect or destination state
/// contains one of <see cref="Words"/> (case-sensitive, as the spec's PascalCase names are written).
/// </summary>
internal static class FailureRule
{
    /// <summary>Name fragments that mean something went wrong: LinkLost, ResponseTimeout, ConnAckRefusedFatal, FailConnect, DeclareLinkDead...</summary>
    public static readonly IReadOnlyList<string> Words =
        ["Lost", "Fail", "Error", "Timeout", "Violation", "Expired", "Refused", "Dead", "Overdue", "Exhausted", "LimitReached", "GiveUp"];

    /// <summary>True when <paramref name="transition"/> is a failure path by the rule.</summary>
    public static bool IsFailure(DiagramTransition transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        return Matches(transition.Trigger) || Matches(transition.Guard) || Matches(transition.Effect) || Matches(transition.To);
    }

    /// <summary>True when <paramref name="name"/> contains one of <see cref="Words"/>.</summary>
    public static bool Matches(string? name) =>
        name is not null && Words.Any(word => name.Contains(word, StringComparison.Ordinal));
}
