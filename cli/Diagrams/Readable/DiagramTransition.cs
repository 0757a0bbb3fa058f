using Stateless.Reflection;

namespace StateMachineMqtt.Cli.Diagrams.Readable;

/// <summary>One transition of a Stateless machine as the readable view reads it: one table row.</summary>
/// <param name="From">Source state.</param>
/// <param name="Trigger">Trigger.</param>
/// <param name="To">Destination state (equal to <paramref name="From"/> for a self-loop).</param>
/// <param name="Guard">Guard name, or null when the row has none.</param>
/// <param name="Effect">Effect name, or null when the row has none.</param>
internal sealed record DiagramTransition(string From, string Trigger, string To, string? Guard, string? Effect)
{
    /// <summary>True when the transition stays in its state (a reentry or internal transition).</summary>
    public bool IsSelfLoop => From == To;

    /// <summary>True when <see cref="FailureRule"/> classes the transition as a failure path.</summary>
    public bool IsFailure => FailureRule.IsFailure(this);

    /// <summary>
    /// Every fixed transition of <paramref name="info"/>, in Stateless's order (state by state, trigger by trigger).
    /// Throws when the machine has dynamic transitions, whose destinations a diagram cannot know.
    /// </summary>
    public static IReadOnlyList<DiagramTransition> Read(StateMachineInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var transitions = new List<DiagramTransition>();
        foreach (StateInfo state in info.States)
        {
            if (state.DynamicTransitions.Any())
            {
                throw new InvalidOperationException($"State {state.UnderlyingState} has dynamic transitions; the readable diagram needs every destination fixed (Permit/PermitIf/PermitReentry).");
            }

            string from = Name(state.UnderlyingState);
            foreach (FixedTransitionInfo transition in state.FixedTransitions)
            {
                var (guard, effect) = SplitLabel(string.Join(" && ", transition.GuardConditionsMethodDescriptions.Select(g => g.Description)));
                transitions.Add(new DiagramTransition(from, Name(transition.Trigger.UnderlyingTrigger), Name(transition.DestinationState.UnderlyingState), guard, effect));
            }

            foreach (IgnoredTransitionInfo ignored in state.IgnoredTriggers)
            {
                var (guard, effect) = SplitLabel(string.Join(" && ", ignored.GuardConditionsMethodDescriptions.Select(g => g.Description)));
                transitions.Add(new DiagramTransition(from, Name(ignored.Trigger.UnderlyingTrigger), from, guard, effect));
            }
        }

        return transitions;
    }

    /// <summary>
    /// Splits a Stateless guard description into guard and effect. core/'s TableMachine writes each row's guard and effect
    /// there as <c>Guard / Effect</c>, <c>Guard</c> or <c>/ Effect</c>, so that Stateless's own exports show the effect.
    /// </summary>
    public static (string? Guard, string? Effect) SplitLabel(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        label = label.Trim();
        if (label.Length == 0)
        {
            return (null, null);
        }

        if (label.StartsWith('/'))
        {
            return (null, NullIfEmpty(label[1..]));
        }

        int slash = label.IndexOf(" / ", StringComparison.Ordinal);
        return slash < 0 ? (label, null) : (NullIfEmpty(label[..slash]), NullIfEmpty(label[(slash + 3)..]));
    }

    private static string? NullIfEmpty(string text) => text.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    private static string Name(object value) => value.ToString() ?? "";
}
