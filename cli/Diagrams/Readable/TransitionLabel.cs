using System.Text;

namespace StateMachineMqtt.Cli.Diagrams.Readable;

/// <summary>One piece of a label line: text, and whether it belongs to a failure transition (drawn red).</summary>
/// <param name="Text">The text.</param>
/// <param name="IsFailure">True for a failure transition's trigger, guard or effect.</param>
internal readonly record struct LabelSegment(string Text, bool IsFailure);

/// <summary>
/// Writes a group of transitions as short label lines: transitions with the same effect share one line (wrapped), read as
/// <c>TriggerA, TriggerB [Guard] / Effect</c>. Guards longer than <see cref="MaxGuardLength"/> characters are cut with an ellipsis.
/// </summary>
internal static class TransitionLabel
{
    /// <summary>Longest guard shown in full.</summary>
    public const int MaxGuardLength = 24;

    /// <summary>Where a label line wraps.</summary>
    public const int LineWidth = 40;

    /// <summary>The label lines for <paramref name="transitions"/>, in table order of each effect's first transition.</summary>
    public static IReadOnlyList<IReadOnlyList<LabelSegment>> Lines(IEnumerable<DiagramTransition> transitions)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        var lines = new List<IReadOnlyList<LabelSegment>>();
        foreach (var group in transitions.GroupBy(t => t.Effect))
        {
            var line = new List<LabelSegment>();
            int width = 0;
            foreach (var transition in group)
            {
                string text = Trigger(transition);
                if (line.Count > 0 && width + 2 + text.Length > LineWidth)
                {
                    line.Add(new LabelSegment(",", false));
                    lines.Add(line);
                    line = [];
                    width = 0;
                }
                else if (line.Count > 0)
                {
                    line.Add(new LabelSegment(", ", false));
                    width += 2;
                }

                line.Add(new LabelSegment(text, transition.IsFailure));
                width += text.Length;
            }

            if (group.Key is { } effect)
            {
                string suffix = "/ " + effect;
                bool failure = group.All(t => t.IsFailure);
                if (width + 1 + suffix.Length > LineWidth)
                {
                    lines.Add(line);
                    line = [new LabelSegment(suffix, failure)];
                }
                else
                {
                    line.Add(new LabelSegment(" " + suffix, failure));
                }
            }

            lines.Add(line);
        }

        return lines;
    }

    /// <summary>The lines as plain text, one per line.</summary>
    public static IReadOnlyList<string> PlainLines(IEnumerable<DiagramTransition> transitions) =>
        [.. Lines(transitions).Select(line => string.Concat(line.Select(s => s.Text)))];

    /// <summary><c>Trigger</c> or <c>Trigger [Guard]</c>, the guard shortened.</summary>
    public static string Trigger(DiagramTransition transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        return transition.Guard is { } guard ? $"{transition.Trigger} [{Shorten(guard)}]" : transition.Trigger;
    }

    /// <summary><paramref name="guard"/>, cut to <see cref="MaxGuardLength"/> characters with an ellipsis when longer.</summary>
    public static string Shorten(string guard)
    {
        ArgumentNullException.ThrowIfNull(guard);
        return guard.Length <= MaxGuardLength ? guard : new StringBuilder(guard, 0, MaxGuardLength - 1, MaxGuardLength).Append('…').ToString();
    }
}
