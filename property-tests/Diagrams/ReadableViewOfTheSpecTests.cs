using System.Text.RegularExpressions;
using StateMachineMqtt.Cli.Diagrams;
using StateMachineMqtt.Cli.Diagrams.Readable;

namespace StateMachineMqtt.PropertyTests.Diagrams;

/// <summary>The readable views of the five real machines lose nothing and draw nothing twice.</summary>
public sealed class ReadableViewOfTheSpecTests
{
    public static TheoryData<string> Machines() => new(DiagramWriter.Machines().Select(m => m.Name));

    [Theory]
    [MemberData(nameof(Machines))]
    public void Every_transition_is_in_exactly_one_place(string name)
    {
        var info = DiagramWriter.Machines().Single(m => m.Name == name).Info;
        var view = ReadableViewBuilder.Build(info);
        var shown = view.Common
            .SelectMany(c => c.Sources.Select(s => new DiagramTransition(s, c.Trigger, c.To ?? s, c.Guard, c.Effect)))
            .Concat(view.States.SelectMany(s => s.Stays))
            .Concat(view.Edges.SelectMany(e => e.Transitions))
            .ToList();
        var rows = DiagramTransition.Read(info);
        Assert.Equal(rows.Count, shown.Count);
        Assert.Equal(rows.Order(Comparer).ToList(), shown.Order(Comparer).ToList());
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void The_readable_dot_draws_no_self_loop_and_at_most_one_edge_of_each_kind_between_two_states(string name)
    {
        string dot = DiagramWriter.Generate().Single(d => d.Name == name).ReadableDot;
        var edges = Regex.Matches(dot, "^\t\"([^\"]+)\" -> \"([^\"]+)\" \\[(.*)\\];$", RegexOptions.Multiline)
            .Select(m => (From: m.Groups[1].Value, To: m.Groups[2].Value, Dashed: m.Groups[3].Value.Contains("dashed", StringComparison.Ordinal)))
            .ToList();
        Assert.NotEmpty(edges);
        Assert.DoesNotContain(edges, e => e.From == e.To);
        Assert.Equal(edges.Count, edges.Distinct().Count());
        Assert.True(ReadableDotWriter.EdgeCount(dot) < ReadableDotWriter.EdgeCount(DiagramWriter.Generate().Single(d => d.Name == name).Dot),
            $"{name}: the readable view should draw fewer edges than the full diagram.");
    }

    [Fact]
    public void Connection_shows_Dispose_once_in_the_note()
    {
        var view = ReadableViewBuilder.Build(DiagramWriter.Machines().Single(m => m.Name == "connection").Info);
        var dispose = Assert.Single(view.Common, c => c.Trigger == "Dispose");
        Assert.Equal("Disposed", dispose.To);
        Assert.Equal(["Disposed"], dispose.Except);
        Assert.DoesNotContain(view.Edges.SelectMany(e => e.Transitions), t => t.Trigger == "Dispose");
    }

    private static readonly Comparer<DiagramTransition> Comparer = Comparer<DiagramTransition>.Create((a, b) =>
        string.CompareOrdinal($"{a.From}|{a.Trigger}|{a.To}|{a.Guard}|{a.Effect}", $"{b.From}|{b.Trigger}|{b.To}|{b.Guard}|{b.Effect}"));
}
