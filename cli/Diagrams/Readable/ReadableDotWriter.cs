using System.Text;

namespace StateMachineMqtt.Cli.Diagrams.Readable;

/// <summary>
/// Writes a <see cref="ReadableView"/> as Graphviz DOT: left to right, the main path heavy and straight (weight and a shared
/// group), failure edges dashed and red, self-loops listed in each state's box, shared transitions in one note.
/// </summary>
internal static class ReadableDotWriter
{
    /// <summary>Colour of failure edges and of failure lines in boxes and the note.</summary>
    public const string FailureColour = "#c0392b";

    private const string NoteNode = "shared";

    /// <summary>The DOT text (\n line ends) for <paramref name="view"/>, titled <paramref name="title"/>.</summary>
    public static string Write(ReadableView view, string title)
    {
        ArgumentNullException.ThrowIfNull(view);
        var dot = new StringBuilder();
        dot.Append("digraph ").Append(Quote(title)).Append(" {\n")
            .Append("\trankdir=LR;\n")
            .Append("\tgraph [fontname=\"Helvetica\", fontsize=12, nodesep=0.35, ranksep=0.7, labelloc=t, label=").Append(Quote(title + " (readable view)")).Append("];\n")
            .Append("\tnode [fontname=\"Helvetica\", fontsize=11, shape=none, margin=0];\n")
            .Append("\tedge [fontname=\"Helvetica\", fontsize=9];\n")
            .Append("\tinit [shape=point, width=0.15, label=\"\"];\n")
            .Append("\tinit -> ").Append(Quote(view.Initial)).Append(" [weight=10, penwidth=2];\n");

        foreach (var state in view.States)
        {
            dot.Append('\t').Append(Quote(state.Name)).Append(" [label=<").Append(StateBox(state)).Append('>');
            if (state.OnMainPath)
            {
                dot.Append(", group=main");
            }

            dot.Append("];\n");
        }

        foreach (var edge in view.Edges)
        {
            dot.Append('\t').Append(Quote(edge.From)).Append(" -> ").Append(Quote(edge.To))
                .Append(" [label=").Append(Quote(string.Join("\n", TransitionLabel.PlainLines(edge.Transitions))));
            if (edge.OnMainPath)
            {
                dot.Append(", weight=10, penwidth=2");
            }

            if (edge.IsFailure)
            {
                dot.Append(", style=dashed, color=").Append(Quote(FailureColour)).Append(", fontcolor=").Append(Quote(FailureColour));
            }

            dot.Append("];\n");
        }

        if (view.Common.Count > 0)
        {
            dot.Append('\t').Append(NoteNode).Append(" [shape=note, margin=0.1, label=<").Append(Note(view)).Append(">];\n");
            foreach (string to in view.Common.Select(c => c.To).OfType<string>().Distinct(StringComparer.Ordinal))
            {
                bool failure = view.Common.Where(c => c.To == to).All(c => c.IsFailure);
                dot.Append('\t').Append(NoteNode).Append(" -> ").Append(Quote(to)).Append(" [style=dotted");
                if (failure)
                {
                    dot.Append(", color=").Append(Quote(FailureColour));
                }

                dot.Append("];\n");
            }
        }

        return dot.Append("}\n").ToString();
    }

    /// <summary>The number of edges the DOT draws between states, the initial marker's arrow aside.</summary>
    public static int EdgeCount(string dot)
    {
        ArgumentNullException.ThrowIfNull(dot);
        return dot.Split('\n').Count(line => line.Contains(" -> ", StringComparison.Ordinal) && !line.TrimStart().StartsWith("init ", StringComparison.Ordinal)
            && !line.TrimStart().StartsWith("\"init\"", StringComparison.Ordinal));
    }

    private static string StateBox(ReadableState state)
    {
        var box = new StringBuilder();
        box.Append("<TABLE BORDER=\"").Append(state.IsFinal ? "2" : "1").Append("\" STYLE=\"ROUNDED\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"4\"");
        if (state.IsFinal)
        {
            box.Append(" BGCOLOR=\"#eeeeee\"");
        }

        box.Append("><TR><TD><B>").Append(Html(state.Name)).Append("</B></TD></TR>");
        if (state.Stays.Count > 0)
        {
            box.Append("<HR/><TR><TD ALIGN=\"LEFT\" BALIGN=\"LEFT\"><FONT POINT-SIZE=\"9\">stays on:<BR/>");
            box.Append(string.Join("<BR/>", TransitionLabel.Lines(state.Stays).Select(HtmlLine)));
            box.Append("</FONT></TD></TR>");
        }

        return box.Append("</TABLE>").ToString();
    }

    private static string Note(ReadableView view)
    {
        var note = new StringBuilder("<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"2\">");
        note.Append("<TR><TD ALIGN=\"LEFT\"><B>In every state (final states aside)</B></TD></TR>");
        var final = view.States.Where(s => s.IsFinal).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var common in view.Common)
        {
            var except = common.Except.Where(s => !final.Contains(s)).ToList();
            string where = except.Count == 0 ? "" : " (not in " + string.Join(", ", except) + ")";
            string what = TransitionLabel.Trigger(new DiagramTransition("", common.Trigger, common.To ?? "", common.Guard, common.Effect))
                + (common.Effect is { } effect ? " / " + effect : "")
                + (common.To is { } to ? " → " + to : " (stays)");
            note.Append("<TR><TD ALIGN=\"LEFT\">");
            note.Append(common.IsFailure ? $"<FONT COLOR=\"{FailureColour}\">{Html(what)}</FONT>" : Html(what));
            if (where.Length > 0)
            {
                note.Append("<FONT POINT-SIZE=\"9\">").Append(Html(where)).Append("</FONT>");
            }

            note.Append("</TD></TR>");
        }

        return note.Append("</TABLE>").ToString();
    }

    private static string HtmlLine(IReadOnlyList<LabelSegment> line) =>
        string.Concat(line.Select(s => s.IsFailure ? $"<FONT COLOR=\"{FailureColour}\">{Html(s.Text)}</FONT>" : Html(s.Text)));

    private static string Html(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);

    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
