namespace StateMachineMqtt.Cli.Diagrams;

/// <summary>One machine's diagrams: the full one (every row an edge) in Mermaid and DOT, and the readable view in DOT.</summary>
/// <param name="Name">File stem, e.g. "connection".</param>
/// <param name="Title">Heading, e.g. "Connection".</param>
/// <param name="Mermaid">Full diagram as Mermaid stateDiagram text (normalised to \n line ends).</param>
/// <param name="Dot">Full diagram as Graphviz DOT text (normalised to \n line ends).</param>
/// <param name="ReadableDot">Readable view as Graphviz DOT text (\n line ends).</param>
internal sealed record MachineDiagram(string Name, string Title, string Mermaid, string Dot, string ReadableDot)
{
    /// <summary>The files rendered by Graphviz, as (file name, DOT source): the full diagram and the readable view.</summary>
    public IReadOnlyList<(string Stem, string Dot)> Views => [(Name, Dot), (Name + ".readable", ReadableDot)];
}
