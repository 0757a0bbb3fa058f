namespace StateMachineMqtt.Cli.Diagrams;

/// <summary>One machine's diagram in both formats.</summary>
/// <param name="Name">File stem, e.g. "connection".</param>
/// <param name="Title">Heading, e.g. "Connection".</param>
/// <param name="Mermaid">Mermaid stateDiagram text (normalised to \n line ends).</param>
/// <param name="Dot">Graphviz DOT text (normalised to \n line ends).</param>
internal sealed record MachineDiagram(string Name, string Title, string Mermaid, string Dot);
