namespace StateMachineMqtt.Cli.Diagrams.Readable;

/// <summary>A state's box: its name and the transitions that stay in it, listed inside instead of drawn as loops.</summary>
/// <param name="Name">State name.</param>
/// <param name="Stays">Self-loops (reentry, internal or ignored triggers) not already in a <see cref="CommonTransition"/>.</param>
/// <param name="IsFinal">True when no transition leaves the state.</param>
/// <param name="OnMainPath">True when the state is on <see cref="ReadableView.MainPath"/>.</param>
internal sealed record ReadableState(string Name, IReadOnlyList<DiagramTransition> Stays, bool IsFinal, bool OnMainPath);

/// <summary>All the transitions from one state to another of one kind (failure or not), drawn as one edge.</summary>
/// <param name="From">Source state.</param>
/// <param name="To">Destination state.</param>
/// <param name="IsFailure">True when every transition in it is a failure by <see cref="FailureRule"/>.</param>
/// <param name="OnMainPath">True when the edge is a step of <see cref="ReadableView.MainPath"/>.</param>
/// <param name="Transitions">The merged transitions, in table order.</param>
internal sealed record ReadableEdge(string From, string To, bool IsFailure, bool OnMainPath, IReadOnlyList<DiagramTransition> Transitions);

/// <summary>
/// One trigger (with its guard and effect) that most states share, drawn once in the note instead of once per state.
/// </summary>
/// <param name="Trigger">Trigger.</param>
/// <param name="Guard">Guard, or null.</param>
/// <param name="Effect">Effect, or null.</param>
/// <param name="To">Destination state, or null when each state stays where it is.</param>
/// <param name="Sources">The states that have it.</param>
/// <param name="Except">Every other state of the machine (final ones included), so the note says exactly where it does not apply.</param>
/// <param name="IsFailure">True when it is a failure by <see cref="FailureRule"/>.</param>
internal sealed record CommonTransition(string Trigger, string? Guard, string? Effect, string? To, IReadOnlyList<string> Sources, IReadOnlyList<string> Except, bool IsFailure);

/// <summary>
/// The readable view of a machine: the same transitions as the full diagram, regrouped so a person can follow them.
/// Every transition is in exactly one place: a <see cref="CommonTransition"/>, a state's <see cref="ReadableState.Stays"/>,
/// or a <see cref="ReadableEdge"/>.
/// </summary>
/// <param name="Initial">Initial state.</param>
/// <param name="States">Every state, in Stateless's order.</param>
/// <param name="Edges">Merged edges between different states.</param>
/// <param name="Common">Transitions shared by (almost) every state, shown once in a note.</param>
/// <param name="MainPath">The longest chain of non-failure edges from the initial state, laid out straight.</param>
internal sealed record ReadableView(
    string Initial,
    IReadOnlyList<ReadableState> States,
    IReadOnlyList<ReadableEdge> Edges,
    IReadOnlyList<CommonTransition> Common,
    IReadOnlyList<string> MainPath);
