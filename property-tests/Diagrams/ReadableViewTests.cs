using System.Text.RegularExpressions;
using StateMachineMqtt.Cli.Diagrams.Readable;
using Stateless;

namespace StateMachineMqtt.PropertyTests.Diagrams;

/// <summary>The readable-view transformation on a small hand-built Stateless machine.</summary>
public sealed class ReadableViewTests
{
    private enum S { A, B, C, Done }

    private enum T { Go, Next, Finish, Quit, Back, Undo, Ping, Lost, Idle, LongGuarded }

    // A → B → C → Done is the normal path; Quit leaves every live state for Done; B → A has two triggers; B stays on Ping and
    // ignores Idle; C → A on Lost is a failure, C → A on Back is not; C → B carries a guard too long to show.
    private static StateMachine<S, T> Machine()
    {
        var machine = new StateMachine<S, T>(S.A);
        machine.Configure(S.A)
            .PermitIf(T.Go, S.B, () => true, "/ Start")
            .PermitIf(T.Quit, S.Done, () => true, "/ Stop");
        machine.Configure(S.B)
            .Permit(T.Next, S.C)
            .Permit(T.Back, S.A)
            .PermitIf(T.Undo, S.A, () => true, "Allowed / Rewind")
            .PermitReentryIf(T.Ping, () => true, "/ Pong")
            .Ignore(T.Idle)
            .PermitIf(T.Quit, S.Done, () => true, "/ Stop");
        machine.Configure(S.C)
            .Permit(T.Finish, S.Done)
            .PermitIf(T.Lost, S.A, () => true, "/ Reset")
            .Permit(T.Back, S.A)
            .PermitIf(T.LongGuarded, S.B, () => true, "TheOtherSideHasAgreedToGoBack / Rewind")
            .PermitIf(T.Quit, S.Done, () => true, "/ Stop");
        return machine;
    }

    private static ReadableView View() => ReadableViewBuilder.Build(Machine().GetInfo());

    private static string Dot() => ReadableDotWriter.Write(View(), "Test");

    private static List<(string From, string To, string Attributes)> DotEdges(string dot) =>
        [.. Regex.Matches(dot, "^\t\"([^\"]+)\" -> \"([^\"]+)\" \\[(.*)\\];$", RegexOptions.Multiline)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value))];

    [Fact]
    public void A_transition_every_live_state_has_is_one_note_line_not_an_edge_per_state()
    {
        var view = View();
        var quit = Assert.Single(view.Common);
        Assert.Equal(("Quit", "Stop", "Done"), (quit.Trigger, quit.Effect, quit.To));
        Assert.Equal(["A", "B", "C"], quit.Sources);
        Assert.Equal(["Done"], quit.Except);
        Assert.DoesNotContain(view.Edges.SelectMany(e => e.Transitions), t => t.Trigger == "Quit");

        string dot = Dot();
        Assert.Contains("shape=note", dot, StringComparison.Ordinal);
        Assert.Contains("Quit / Stop → Done", dot, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(dot, "Quit"));
        Assert.DoesNotContain(DotEdges(dot), e => e.From == "A" && e.To == "Done");
        Assert.Contains("\tshared -> \"Done\"", dot, StringComparison.Ordinal);
    }

    [Fact]
    public void A_transition_too_few_states_share_stays_drawn()
    {
        // Only B and C go back to A on Back: two arrows are clearer than a note.
        Assert.DoesNotContain(View().Common, c => c.Trigger == "Back");
        Assert.Contains(View().Edges, e => e.From == "C" && e.To == "A" && e.Transitions.Any(t => t.Trigger == "Back"));
    }

    [Fact]
    public void Parallel_edges_between_two_states_merge_into_one_labelled_with_every_trigger()
    {
        var edge = Assert.Single(View().Edges, e => e.From == "B" && e.To == "A");
        Assert.Equal(["Back", "Undo"], edge.Transitions.Select(t => t.Trigger));

        var drawn = Assert.Single(DotEdges(Dot()), e => e.From == "B" && e.To == "A");
        Assert.Contains("Back", drawn.Attributes, StringComparison.Ordinal);
        Assert.Contains("Undo [Allowed] / Rewind", drawn.Attributes, StringComparison.Ordinal);
    }

    [Fact]
    public void Self_loops_and_ignored_triggers_are_listed_inside_the_box_not_drawn()
    {
        var b = Assert.Single(View().States, s => s.Name == "B");
        Assert.Equal(["Ping", "Idle"], b.Stays.Select(t => t.Trigger));

        string dot = Dot();
        Assert.DoesNotContain(DotEdges(dot), e => e.From == e.To);
        string box = Regex.Match(dot, "^\t\"B\" \\[label=<(.*)>", RegexOptions.Multiline).Groups[1].Value;
        Assert.Contains("Ping / Pong", box, StringComparison.Ordinal);
        Assert.Contains("Idle", box, StringComparison.Ordinal);
    }

    [Fact]
    public void Failure_edges_are_dashed_and_red_and_apart_from_normal_edges_between_the_same_states()
    {
        var edges = View().Edges.Where(e => e.From == "C" && e.To == "A").ToList();
        Assert.Equal(2, edges.Count);
        Assert.Equal(["Lost"], Assert.Single(edges, e => e.IsFailure).Transitions.Select(t => t.Trigger));
        Assert.Equal(["Back"], Assert.Single(edges, e => !e.IsFailure).Transitions.Select(t => t.Trigger));

        var drawn = DotEdges(Dot()).Where(e => e.From == "C" && e.To == "A").ToList();
        var failure = Assert.Single(drawn, e => e.Attributes.Contains("Lost", StringComparison.Ordinal));
        Assert.Contains("style=dashed", failure.Attributes, StringComparison.Ordinal);
        Assert.Contains(ReadableDotWriter.FailureColour, failure.Attributes, StringComparison.Ordinal);
        var normal = Assert.Single(drawn, e => e.Attributes.Contains("Back", StringComparison.Ordinal));
        Assert.DoesNotContain("dashed", normal.Attributes, StringComparison.Ordinal);
    }

    [Fact]
    public void The_main_path_is_the_longest_non_failure_chain_laid_out_left_to_right_and_weighted()
    {
        var view = View();
        Assert.Equal(["A", "B", "C", "Done"], view.MainPath);
        Assert.Equal([("A", "B"), ("B", "C"), ("C", "Done")], view.Edges.Where(e => e.OnMainPath).Select(e => (e.From, e.To)));

        string dot = Dot();
        Assert.Contains("rankdir=LR", dot, StringComparison.Ordinal);
        Assert.Contains("weight=10", Assert.Single(DotEdges(dot), e => e.From == "B" && e.To == "C").Attributes, StringComparison.Ordinal);
        Assert.DoesNotContain("weight", Assert.Single(DotEdges(dot), e => e.From == "B" && e.To == "A").Attributes, StringComparison.Ordinal);
        Assert.Matches("\"Done\" \\[label=<[^\n]*BGCOLOR[^\n]*group=main\\]", dot);
    }

    [Fact]
    public void Long_guards_are_shortened_with_an_ellipsis()
    {
        var edge = Assert.Single(DotEdges(Dot()), e => e.From == "C" && e.To == "B");
        string shortened = TransitionLabel.Shorten("TheOtherSideHasAgreedToGoBack");
        Assert.Equal(TransitionLabel.MaxGuardLength, shortened.Length);
        Assert.EndsWith("…", shortened, StringComparison.Ordinal);
        Assert.Contains($"LongGuarded [{shortened}]", edge.Attributes, StringComparison.Ordinal);
        Assert.Contains("/ Rewind", edge.Attributes, StringComparison.Ordinal);
        Assert.DoesNotContain("TheOtherSideHasAgreedToGoBack", edge.Attributes, StringComparison.Ordinal);
        Assert.Equal("Short", TransitionLabel.Shorten("Short"));
    }

    [Theory]
    [InlineData("Guard / Effect", "Guard", "Effect")]
    [InlineData("Guard", "Guard", null)]
    [InlineData("/ Effect", null, "Effect")]
    [InlineData("", null, null)]
    public void Guard_descriptions_split_as_TableMachine_writes_them(string label, string? guard, string? effect) =>
        Assert.Equal((guard, effect), DiagramTransition.SplitLabel(label));

    [Theory]
    [InlineData("LinkLost", "Backoff", null, null, true)]
    [InlineData("Tick", "Inactive", "KeepAliveElapsed", "DeclareLinkDead", true)]
    [InlineData("PubAckRefused", "Refused", null, "FailPublish", true)]
    [InlineData("TooLarge", "Oversized", null, "FailTooLarge", true)]
    [InlineData("Connect", "Connecting", null, "OpenSocket", false)]
    [InlineData("Cancel", "Withdrawn", null, "Withdraw", false)]
    public void The_failure_rule_reads_trigger_guard_effect_and_destination(string trigger, string to, string? guard, string? effect, bool failure) =>
        Assert.Equal(failure, FailureRule.IsFailure(new DiagramTransition("X", trigger, to, guard, effect)));
}
